global using Pipeline.Prerequisites;
global using Pipeline.Processes;
global using TestSupport;
