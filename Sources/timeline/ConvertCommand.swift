import ArgumentParser
import Foundation
import TimelineCore

#if canImport(Glibc)
  import Glibc
#endif

/// `timeline convert IN OUT`: reads a timeline in any format `--data` opens and writes it in another.
struct ConvertCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "convert",
    abstract: "Convert a timeline from one format to another (a spreadsheet to this program's JSON, this program's JSON to TimelineJS or iCalendar, …).",
    discussion: """
      The output format comes from OUT's extension (.json this program's JSON, .ics iCalendar, .csv CSV, \
      .md Markdown, .txt text) or from --to FORMAT (json, timelinejs, ics, csv, markdown or text; needed for \
      timelinejs). The explorer's filters (--country, --person, --tag, --search, --from, …) choose the events \
      to convert. OUT - writes to standard output. The file is written whole or not at all: to a temporary \
      file beside it, then renamed over OUT (a symbolic link at OUT is replaced, never written through).
      """
  )

  @Argument(help: ArgumentHelp("The timeline to read (any format --data opens).", valueName: "in"))
  var input: String

  @Argument(help: ArgumentHelp("The file to write, or - for standard output.", valueName: "out"))
  var output: String

  @OptionGroup(title: "Reading other formats (TimelineJS, spreadsheets, calendars)") var importing: ImportArguments

  /// The root command's filters, which ArgumentParser also parses after `convert`: they choose the events
  /// to convert, except `--to`, which names the output format here (the root command has `--to` as a
  /// date, and ArgumentParser gives it the value whichever command declares it too).
  @OptionGroup(visibility: .private) var filters: FilterOptions

  mutating func run() throws {
    let names = ListFormat.allCases.map(\.rawValue).joined(separator: ", ")
    if let to = filters.to, ListFormat(rawValue: to) == nil {
      Output.error("--to: unknown format \"\(to)\"; the formats are \(names)")
      throw ExitCode(64)
    }
    guard let format = filters.to.flatMap(ListFormat.init(rawValue:)) ?? Self.format(forExtensionOf: output) else {
      Output.error("cannot tell the output format from \"\(output)\": name it with --to (\(names))")
      throw ExitCode(64)
    }
    let timeline = try DataOptions.load(path: input, importing: importing.options(), options: TimelineLoader.Options())
    var chosen = filters
    chosen.to = nil
    let events = timeline.evaluate(try chosen.query(for: timeline), textSearch: .scan)
    if let warning = format.omissions(timeline, events: events) { Output.error(warning) }
    let text = format.render(timeline, events: events)
    if output == "-" {
      Output.write(text)
      return
    }
    do {
      try Self.writeWhole(text, to: output)
    } catch {
      Output.error("cannot write \(output): \(error)")
      throw ExitCode(73)
    }
  }

  static func format(forExtensionOf path: String) -> ListFormat? {
    guard let name = path.split(separator: "/").last, let dot = name.lastIndex(of: ".") else { return nil }
    switch name[name.index(after: dot)...].lowercased() {
    case "json": return .json
    case "ics", "ical", "icalendar": return .ics
    case "csv": return .csv
    case "md", "markdown": return .markdown
    case "txt", "text": return .text
    default: return nil
    }
  }

  struct WriteError: Error, CustomStringConvertible {
    var description: String
  }

  /// Writes to a new temporary file in the same directory, then renames it over `path`: readers see the
  /// old file or the new one, never half of one, and a symbolic link at `path` is replaced rather than
  /// followed.
  static func writeWhole(_ text: String, to path: String) throws {
    var st = stat()
    if lstat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR { throw WriteError(description: "is a directory") }
    let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
    var template = Array(((directory.isEmpty ? "" : directory) + "/.timeline-convert-XXXXXX").utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    if fd < 0 { throw WriteError(description: String(cString: strerror(errno))) }
    let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    var ok = false
    defer {
      if !ok { unlink(temporary) }
    }
    var copy = text
    let written: Bool = copy.withUTF8 { buffer in
      var offset = 0
      while offset < buffer.count {
        let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          return false
        }
        offset += n
      }
      return true
    }
    let error = errno
    // The file gets the usual permissions (mkstemp makes it private).
    let mask = umask(0)
    umask(mask)
    fchmod(fd, 0o666 & ~mask)
    let synced = fsync(fd) == 0
    close(fd)
    guard written, synced else { throw WriteError(description: String(cString: strerror(written ? errno : error))) }
    guard rename(temporary, path) == 0 else { throw WriteError(description: String(cString: strerror(errno))) }
    ok = true
  }
}
