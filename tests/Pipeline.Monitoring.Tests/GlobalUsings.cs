global using Pipeline.Processes;
global using TestSupport;
