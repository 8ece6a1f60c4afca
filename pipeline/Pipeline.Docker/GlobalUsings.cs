global using System.Net;
global using System.Text.Json;
global using Docker.DotNet;
global using Docker.DotNet.Models;
global using EngineClient = Docker.DotNet.DockerClient;
global using Version = System.Version;
