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
        var types = Types<TGrain>.Value ??= Resolve<TGrain>(grains);
        return (TGrain)grains.GetGrain(GrainId.Create(types.GrainType, key), types.InterfaceType);
    }

    private static Resolved Resolve<TGrain>(IGrainFactory grains) where TGrain : IGrainWithStringKey
    {
        // Both types follow from attributes alone ([GrainType], [Alias]), so they are the same for every factory.
        var reference = (GrainReference)(object)grains.GetGrain<TGrain>("resolve");
        return new Resolved(reference.GrainId.Type, reference.InterfaceType);
    }

    /// <summary>A reference, so that threads racing to fill the cache each see a whole pair, never half of one.</summary>
    private sealed record Resolved(GrainType GrainType, GrainInterfaceType InterfaceType);

    private static class Types<TGrain>
    {
        public static Resolved? Value;
    }
}
