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
  @Option(help: "json (this program's format) or csv (a TimelineJS spreadsheet exported as CSV).") var format = "json"

  func run() throws {
    guard events >= 0 else { throw ValidationError("--events must be 0 or more") }
    switch format {
    case "json": try Generator(events: events, seed: seed).write(to: output ?? "/dev/stdout")
    case "csv":
      // Written through a handle: opening a new file by path, or standard output as it is.
      let handle: FileHandle
      if let output {
        guard FileManager.default.createFile(atPath: output, contents: nil), let h = FileHandle(forWritingAtPath: output) else {
          throw ValidationError("cannot write \(output)")
        }
        handle = h
      } else {
        handle = FileHandle.standardOutput
      }
      Generator(events: events, seed: seed).writeTimelineJSCSV(to: handle)
    default: throw ValidationError("--format must be json or csv")
    }
  }
}
