@echo off
rem Bootstrap for Windows: same steps as build.sh (check the SDK, build the build project, run it with all arguments).
setlocal
set ROOT=%~dp0
set ROOT=%ROOT:~0,-1%
set DOTNET_CLI_TELEMETRY_OPTOUT=1
set DOTNET_NOLOGO=1
set DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

where dotnet >nul 2>nul
if errorlevel 1 (
  echo error: 'dotnet' is not on PATH. Install the .NET 10 SDK from https://dotnet.microsoft.com/download/dotnet/10.0 and run build.cmd again. 1>&2
  exit /b 1
)
pushd "%ROOT%"
dotnet --version >nul 2>nul
if errorlevel 1 (
  popd
  echo error: no installed .NET SDK satisfies global.json ^(needs 10.0.100 or a later 10.0 feature band^). 1>&2
  dotnet --list-sdks 1>&2
  echo Install it from https://dotnet.microsoft.com/download/dotnet/10.0 and run build.cmd again. 1>&2
  exit /b 1
)
popd

dotnet build "%ROOT%\build\_build.csproj" -c Release -o "%ROOT%\.nuke\temp\build-bin" --nologo -v q -clp:NoSummary;ErrorsOnly 1>&2
if errorlevel 1 (
  echo error: the build project does not compile ^(see the errors above^). 1>&2
  exit /b 1
)
dotnet "%ROOT%\.nuke\temp\build-bin\_build.dll" --root "%ROOT%" %*
exit /b %ERRORLEVEL%
