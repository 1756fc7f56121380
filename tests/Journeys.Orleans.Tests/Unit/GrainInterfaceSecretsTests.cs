using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Tests.Unit;

/// <summary>
/// Any Orleans client that reaches a gateway may call any grain: a destination's secrets (headers, the signing secret,
/// write keys, credentials in URLs) must stay inside the silo, so no grain method may return the definition that holds
/// them.
/// </summary>
public sealed class GrainInterfaceSecretsTests
{
    [Fact]
    public void No_grain_interface_returns_a_destination_definition()
    {
        var offenders = typeof(IDestinationGrain).Assembly.GetTypes()
            .Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t))
            .SelectMany(t => t.GetMethods().Select(m => (Interface: t, Method: m)))
            .Where(x => Carries(x.Method.ReturnType, typeof(DestinationDefinition)))
            .Select(x => $"{x.Interface.Name}.{x.Method.Name}")
            .ToList();

        Assert.Empty(offenders);
    }

    private static bool Carries(Type type, Type secret) =>
        type == secret
        || (type.IsArray && Carries(type.GetElementType()!, secret))
        || (type.IsGenericType && type.GetGenericArguments().Any(argument => Carries(argument, secret)));
}
