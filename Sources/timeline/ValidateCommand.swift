#if canImport(Glibc)
  import Glibc
#endif
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
      let result: ImportResult
      do {
        result = try Self.check(path, options)
      } catch {
        switch error {
        case .cannotRead(let e):
          Output.error("cannot read \(e)")
          worst = max(worst, 66)
        case .invalid(let failure):
          Output.errorLines(failure.description)
          worst = max(worst, 65)
        case .cancelled: throw ExitCode(130)
        }
        continue
      }
      let t = result.timeline
      let people = t.people.count == 1 ? "1 person" : "\(t.people.count) people"
      let sources = "\(t.sources.count) source\(t.sources.count == 1 ? "" : "s")"
      let format = result.format == .timeline ? "" : result.format.displayName + ": "
      Output.write("\(TerminalSafety.sanitized(path)): valid (\(format)\(t.count) event\(t.count == 1 ? "" : "s"), \(people), \(sources))\n")
    }
    if worst != 0 { throw ExitCode(worst) }
  }

  /// Reads a file whole and checks everything about it; a regular file too large to read whole (over
  /// 4 GiB) is checked by the streaming loader, which says only where the first problem is.
  static func check(_ path: String, _ options: ImportOptions) throws(TimelineLoader.Failure) -> ImportResult {
    var st = stat()
    if stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG, Int(st.st_size) > TimelineFile.maxBytes {
      return try TimelineImport.load(path: path, options: options)
    }
    let bytes: [UInt8]
    do { bytes = try TimelineFile.read(path: path) } catch { throw .cannotRead(error) }
    do { return try TimelineImport.decode(bytes, fileName: path, options: options) } catch { throw .invalid(error) }
  }
}
