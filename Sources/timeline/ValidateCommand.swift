import ArgumentParser
import TimelineCore

/// `timeline validate FILE...`: checks files and reports every problem.
struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check timeline files; print every problem found.",
    discussion: "Exits 0 when every file is valid, 65 when a file has problems, 66 when a file cannot be read."
  )

  @Argument(help: ArgumentHelp("Timeline files to check.", valueName: "file"), completion: .file())
  var files: [String]

  mutating func run() throws {
    var worst: Int32 = 0
    for path in files {
      let bytes: [UInt8]
      do {
        bytes = try TimelineFile.read(path: path)
      } catch {
        Output.error("cannot read \(error)")
        worst = max(worst, 66)
        continue
      }
      do {
        let t = try TimelineDecoder.decode(bytes, fileName: path)
        let people = t.people.count == 1 ? "1 person" : "\(t.people.count) people"
        let sources = "\(t.sources.count) source\(t.sources.count == 1 ? "" : "s")"
        Output.write("\(TerminalSafety.sanitized(path)): valid (\(t.count) event\(t.count == 1 ? "" : "s"), \(people), \(sources))\n")
      } catch {
        Output.errorLines(error.description)
        worst = max(worst, 65)
      }
    }
    if worst != 0 { throw ExitCode(worst) }
  }
}
