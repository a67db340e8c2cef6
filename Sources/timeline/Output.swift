#if canImport(Glibc)
  import Glibc
#endif
import Foundation
import TimelineCore

/// Writing to standard output and standard error without Foundation's buffering surprises.
///
/// Messages go to standard error prefixed with "timeline: ". They are made terminal-safe here, line by
/// line, because they quote text from outside: file names and names suggested from a data file.
enum Output {
  static func write(_ text: String) { write(text, to: STDOUT_FILENO) }

  static func error(_ message: String) { write("timeline: \(TerminalSafety.sanitized(message))\n", to: STDERR_FILENO) }

  /// Diagnostics are already "file:line:col: ..." lines; print them as they are, each made terminal-safe.
  static func errorLines(_ text: String) {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { TerminalSafety.sanitized(String($0)) }
    write(lines.joined(separator: "\n") + "\n", to: STDERR_FILENO)
  }

  /// Prints a list (`timeline list`'s output). Into a pipe or a file it goes as it is. On a terminal, the
  /// control characters a format keeps (CSV holds the exact text) are shown as placeholders, as `ls`
  /// shows them in file names, and with `paging` the text goes through the pager.
  static func list(_ text: String, paging: Bool) {
    guard isatty(STDOUT_FILENO) != 0 else { return write(text) }
    let safe = terminalSafe(text)
    let environment = ProcessInfo.processInfo.environment
    if paging, let command = Pager.command(environment: environment, configured: (try? Config.current())?.pager),
      Pager.page(safe, command: command)
    {
      return
    }
    write(safe)
  }

  /// The text with every character `TerminalSafety` finds unsafe replaced by its placeholder, except the
  /// line feeds, tabs and CRLF line ends that lay the text out.
  static func terminalSafe(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { TerminalSafety.isUnsafe($0) && $0 != "\n" && $0 != "\t" }) else { return text }
    var out = String.UnicodeScalarView()
    var scalars = text.unicodeScalars.makeIterator()
    var next = scalars.next()
    while let s = next {
      next = scalars.next()
      if s == "\n" || s == "\t" || (s == "\r" && next == "\n") || !TerminalSafety.isUnsafe(s) {
        out.append(s)
      } else {
        out.append(TerminalSafety.placeholder(for: s))
      }
    }
    return String(out)
  }

  /// Writes all of `text`; stops quietly at a closed pipe.
  static func write(_ text: String, to fd: Int32) {
    var copy = text
    copy.withUTF8 { buffer in
      var offset = 0
      while offset < buffer.count {
        let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          return  // A closed pipe: nothing more to say (SIGPIPE normally ends us first).
        }
        offset += n
      }
    }
  }
}
