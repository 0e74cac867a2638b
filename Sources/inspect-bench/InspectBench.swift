import ArgumentParser

/// `inspect-bench`: the measurements Scripts/bench.sh takes, kept out of the `inspect` binary
/// that operators run.
@main
struct InspectBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect-bench",
        abstract: "Benchmarks of inspect, for Scripts/bench.sh.",
        subcommands: [BenchPasses.self, BenchHistory.self, BenchFleet.self, BenchExposition.self])
}
