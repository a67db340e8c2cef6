import ArgumentParser
import Foundation
import TimelineCore

@main
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "timeline-bench",
    abstract: "Generate large synthetic timelines and measure the explorer's work on them.",
    subcommands: [GenerateCommand.self, RunCommand.self, ShapesCommand.self, PeakMemoryCommand.self, FramesCommand.self, LoadsCommand.self, IndexCommand.self, KeystrokesCommand.self]
  )
}

struct GenerateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "generate", abstract: "Write a synthetic timeline (deterministic for a seed).")

  @Option(help: "Number of events.") var events: Int
  @Option(help: "Random seed.") var seed: UInt64 = 1
  @Option(help: "Output file (default: standard output). Written into as a shell's > does, never replaced.") var output: String?
  @Option(help: "json (this program's format) or csv (a TimelineJS spreadsheet exported as CSV).") var format = "json"
  @Option(help: "How the JSON is laid out: \(Generator.Shape.allCases.map(\.rawValue).joined(separator: ", ")).")
  var shape: Generator.Shape = .canonical

  func run() throws {
    guard events >= 0 else { throw ValidationError("--events must be 0 or more") }
    let handle = try output.map(openForWriting) ?? FileHandle.standardOutput
    let generator = Generator(events: events, seed: seed)
    switch format {
    case "json": generator.write(to: handle, shape: shape)
    case "csv": generator.writeTimelineJSCSV(to: handle)
    default: throw ValidationError("--format must be json or csv")
    }
  }
}

extension Generator.Shape: ExpressibleByArgument {}

/// Opens `path` for writing as a shell's `>` does: created if missing, emptied otherwise, and written
/// into whatever it is (a file, a FIFO, a terminal, `/dev/stdout`). Never replaced: replacing the path
/// `/dev/stdout` with a new file (as `FileManager.createFile` does) deleted the link for every later
/// program on the machine.
func openForWriting(_ path: String) throws -> FileHandle {
  let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
  guard fd >= 0 else { throw ValidationError("cannot write \(path): \(String(cString: strerror(errno)))") }
  return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
}
