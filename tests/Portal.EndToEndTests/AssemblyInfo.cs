// Each collection starts a portal process; on a two-core machine they run one after the other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
