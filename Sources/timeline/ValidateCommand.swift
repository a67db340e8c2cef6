import ArgumentParser
import TimelineCore

/// `timeline validate FILE...`: checks files and reports every problem.
struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check timeline files; print every problem found.",
    discussion: "Exits 0 when every file is valid, 65 when a file has problems, 66 when a file cannot be read."
  )

  @Argument(help: ArgumentHelp("Timeline files to check: this program's JSON, or any format --data opens.", valueName: "file"), completion: .file())
  var files: [String]

  @OptionGroup(title: "Reading other formats (TimelineJS, spreadsheets, calendars)") var importing: ImportArguments

  mutating func run() throws {
    var options = try importing.options()
    // Checking a file means hearing about every bad row, not skipping it.
    options.skipBadRows = false
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
        let result = try TimelineImport.decode(bytes, fileName: path, options: options)
        let t = result.timeline
        let people = t.people.count == 1 ? "1 person" : "\(t.people.count) people"
        let sources = "\(t.sources.count) source\(t.sources.count == 1 ? "" : "s")"
        let format = result.format == .timeline ? "" : result.format.displayName + ": "
        Output.write("\(TerminalSafety.sanitized(path)): valid (\(format)\(t.count) event\(t.count == 1 ? "" : "s"), \(people), \(sources))\n")
      } catch {
        Output.errorLines(error.description)
        worst = max(worst, 65)
      }
    }
    if worst != 0 { throw ExitCode(worst) }
  }
}
