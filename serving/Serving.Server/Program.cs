using Serving.Server.Hosting;

return await ServingProgram.RunAsync(args, Environment.GetEnvironmentVariable, Console.Out, Console.Error);
