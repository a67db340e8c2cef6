import Foundation

// timeline-manual: writes the NAME, SYNOPSIS, DESCRIPTION and COMMANDS sections of timeline(1) in mdoc,
// from the description of the commands that `timeline --experimental-dump-help` prints (the same
// definitions --help is made from), read on standard input. Resources/man/manual.sh adds the keys
// and the hand-written sections.
//
// Why not swift-argument-parser's generate-manual plugin: it drops every non-ASCII character (the "…"
// and "é" of our help texts), lists hidden commands, makes the subcommand look required, repeats every
// shared option under every subcommand, and has no place for the sections a manual page needs here.
//
// Usage: timeline --experimental-dump-help | timeline-manual YYYY-MM-DD

struct ToolInfo: Decodable {
  var command: CommandInfo
}

struct CommandInfo: Decodable {
  var commandName: String
  var abstract: String?
  var discussion: String?
  var shouldDisplay: Bool?
  var subcommands: [CommandInfo]?
  var arguments: [ArgumentInfo]?
}

struct ArgumentInfo: Decodable {
  struct Name: Decodable, Hashable {
    var kind: String
    var name: String
  }
  var kind: String
  var names: [Name]?
  var valueName: String?
  var abstract: String?
  var discussion: String?
  var isOptional: Bool?
  var isRepeating: Bool?
  var shouldDisplay: Bool?
  var allValues: [String]?
  var allValueDescriptions: [String: String]?

  var displayed: Bool { shouldDisplay ?? true }
  var flags: [String] { (names ?? []).map { $0.kind == "short" ? "-" + $0.name : "--" + $0.name } }
  /// `.Fl -data Ar file`, `.Fl h , Fl -help`, `.Ar file ...`
  var item: String {
    if kind == "positional" { return "Ar " + (valueName ?? "value") + (isRepeating == true ? " ..." : "") }
    let value = kind == "option" ? " Ar " + (valueName ?? "value") + (isRepeating == true ? " ..." : "") : ""
    return (names ?? []).map { "Fl " + ($0.kind == "short" ? $0.name : "-" + $0.name) }.joined(separator: " , ") + value
  }
}

/// Text for an mdoc text line: a leading `.` or `'` would make it a request, a backslash an escape.
func text(_ s: String) -> String {
  s.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
    let escaped = line.replacingOccurrences(of: "\\", with: "\\e")
    return escaped.hasPrefix(".") || escaped.hasPrefix("'") ? "\\&" + escaped : escaped
  }.joined(separator: "\n")
}

/// A discussion: paragraphs (blank lines in the source) become `.Pp`.
func paragraphs(_ s: String) -> String {
  s.components(separatedBy: "\n\n").map { text($0.trimmingCharacters(in: .whitespacesAndNewlines)) }.filter { !$0.isEmpty }
    .joined(separator: "\n.Pp\n")
}

func optionList(_ arguments: [ArgumentInfo]) -> String {
  guard !arguments.isEmpty else { return "" }
  var out = ".Bl -tag -width Ds\n"
  for a in arguments {
    out += ".It \(a.item)\n"
    if let abstract = a.abstract { out += text(abstract) + "\n" }
    if let discussion = a.discussion, !discussion.isEmpty { out += ".Pp\n" + paragraphs(discussion) + "\n" }
    if let values = a.allValues, let descriptions = a.allValueDescriptions, !descriptions.isEmpty {
      out += ".Bl -tag -width Ds -compact\n"
      for v in values { out += ".It Li \(v)\n" + text(descriptions[v] ?? "") + "\n" }
      out += ".El\n"
    }
  }
  return out + ".El\n"
}

func synopsis(_ c: CommandInfo, path: [String]) -> String {
  var out = ".Nm\n"
  if !path.isEmpty { out += ".Cm \(path.joined(separator: " "))\n" }
  let arguments = (c.arguments ?? []).filter(\.displayed)
  if arguments.contains(where: { $0.kind != "positional" }) { out += ".Op Ar options\n" }
  for a in arguments where a.kind == "positional" { out += (a.isOptional == true ? ".Op " : ".") + a.item + "\n" }
  return out
}

let arguments = CommandLine.arguments.dropFirst()
guard let dateText = arguments.first, arguments.count == 1 else {
  FileHandle.standardError.write(Data("usage: timeline --experimental-dump-help | timeline-manual YYYY-MM-DD\n".utf8))
  exit(64)
}
let parser = DateFormatter()
parser.locale = Locale(identifier: "en_US_POSIX")
parser.timeZone = TimeZone(identifier: "UTC")
parser.dateFormat = "yyyy-MM-dd"
guard let date = parser.date(from: dateText) else {
  FileHandle.standardError.write(Data("timeline-manual: not a date: \(dateText)\n".utf8))
  exit(64)
}
parser.dateFormat = "MMMM d, yyyy"

let input = FileHandle.standardInput.readDataToEndOfFile()
let root: CommandInfo
do {
  root = try JSONDecoder().decode(ToolInfo.self, from: input).command
} catch {
  FileHandle.standardError.write(Data("timeline-manual: cannot read the command description: \(error)\n".utf8))
  exit(65)
}
// `help` only repeats --help; hidden commands stay out of the manual as they are out of --help.
let subcommands = (root.subcommands ?? []).filter { ($0.shouldDisplay ?? true) && $0.commandName != "help" }
let rootArguments = (root.arguments ?? []).filter(\.displayed)
let rootFlags = Set(rootArguments.flatMap(\.flags))

var page = """
  .Dd \(parser.string(from: date))
  .Dt \(root.commandName.uppercased()) 1
  .Os
  .Sh NAME
  .Nm \(root.commandName)
  .Nd \(text(root.abstract ?? ""))
  .Sh SYNOPSIS

  """
page += synopsis(root, path: [])
for c in subcommands { page += synopsis(c, path: [c.commandName]) }
page += ".Sh DESCRIPTION\n"
if let discussion = root.discussion { page += paragraphs(discussion) + "\n" }
page += optionList(rootArguments)
page += ".Sh COMMANDS\n"
for c in subcommands {
  page += ".Ss \(c.commandName)\n"
  if let abstract = c.abstract { page += text(abstract) + "\n" }
  if let discussion = c.discussion, !discussion.isEmpty { page += ".Pp\n" + paragraphs(discussion) + "\n" }
  let own = (c.arguments ?? []).filter { $0.displayed && ($0.kind == "positional" || Set($0.flags).isDisjoint(with: rootFlags)) }
  let shared = (c.arguments ?? []).filter { $0.displayed && $0.kind != "positional" && !Set($0.flags).isDisjoint(with: rootFlags) }
  if !shared.isEmpty {
    page += ".Pp\nIt takes "
    page += shared.count == rootArguments.count ? "the options above" : "these of the options above: " + shared.flatMap(\.flags).filter { $0.hasPrefix("--") }.joined(separator: ", ")
    page += own.isEmpty ? ".\n" : "; and:\n"
  }
  page += optionList(own)
}
print(page, terminator: "")
