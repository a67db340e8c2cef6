import ArgumentParser
import Foundation
import TimelineCore

@main
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "timeline-bench",
    abstract: "Generate large synthetic timelines and measure the explorer's work on them.",
    subcommands: [GenerateCommand.self, RunCommand.self, PeakMemoryCommand.self, FramesCommand.self, LoadsCommand.self]
  )
}

struct GenerateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "generate", abstract: "Write a synthetic timeline (deterministic for a seed).")

  @Option(help: "Number of events.") var events: Int
  @Option(help: "Random seed.") var seed: UInt64 = 1
  @Option(help: "Output file (default: standard output).") var output: String?

  func run() throws {
    guard events >= 0 else { throw ValidationError("--events must be 0 or more") }
    try Generator(events: events, seed: seed).write(to: output ?? "/dev/stdout")
  }
}
