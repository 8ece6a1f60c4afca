global using System.Text.Json.Nodes;
global using Pipeline.Kubernetes.Api;
global using Pipeline.Kubernetes.Manifests;
global using Pipeline.Kubernetes.Rollout;
global using Pipeline.Kubernetes.Tests.Fake;
global using Pipeline.Kubernetes.Tests.Support;
global using TestSupport;
