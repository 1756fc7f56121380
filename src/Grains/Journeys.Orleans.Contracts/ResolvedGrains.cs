using Orleans.Runtime;

namespace Journeys.Orleans;

/// <summary>
/// References to string-keyed grains without Orleans' per-call lookup of the interface's type. Orleans 10.4 reads the
/// interface's attributes by reflection on every <c>GetGrain</c> (no cache until a later release): on the event path,
/// where each event takes several references, that was a tenth of the silo's CPU. The grain type and interface type of
/// each grain interface are resolved once, through Orleans itself, and each reference is then built from its
/// <see cref="GrainId"/>.
/// </summary>
public static class ResolvedGrains
{
    public static TGrain Get<TGrain>(this IGrainFactory grains, string key) where TGrain : IGrainWithStringKey
    {
        var (grainType, interfaceType) = Types<TGrain>.Value ??= Resolve<TGrain>(grains);
        return (TGrain)grains.GetGrain(GrainId.Create(grainType, key), interfaceType);
    }

    private static (GrainType, GrainInterfaceType) Resolve<TGrain>(IGrainFactory grains) where TGrain : IGrainWithStringKey
    {
        // Both types follow from attributes alone ([GrainType], [Alias]), so they are the same for every factory.
        var reference = (GrainReference)(object)grains.GetGrain<TGrain>("resolve");
        return (reference.GrainId.Type, reference.InterfaceType);
    }

    private static class Types<TGrain>
    {
        public static (GrainType, GrainInterfaceType)? Value;
    }
}
