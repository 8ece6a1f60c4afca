global using Pipeline.Processes;
global using Pipeline.Docker;
