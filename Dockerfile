# The silo image used by docker-compose.yml: builds src/Silo and runs it exactly as the tests start it.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Silo/Journeys.Orleans.Silo.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
EXPOSE 8080 11111 30000
CMD ["dotnet", "Journeys.Orleans.Silo.dll"]
