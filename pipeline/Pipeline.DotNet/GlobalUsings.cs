global using Pipeline.Processes;
