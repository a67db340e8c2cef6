import ArgumentParser
import Foundation
import TimelineCore

#if canImport(Glibc)
  import Glibc
#endif

/// The values the shells complete for the facet options (`--country Fr<Tab>`), read from the timeline
/// the command line names: the file after `--data` among the words typed so far (read with the options
/// for other formats typed there too), else the bundled case.
///
/// The completion scripts (`timeline --generate-completion-script bash|zsh|fish`) call the binary back
/// with the words on the command line when Tab is pressed; swift-argument-parser runs the closure given
/// here and prints what it returns, and the shell keeps the candidates that start with what was typed.
enum ShellCompletion {
  static func facet(_ facet: Facet) -> CompletionKind {
    .custom { words, _, _ in values(facet, words: words) }
  }

  /// The names of the values that some event carries, each once, in the timeline's order: for a country
  /// its code and its English and French names (its other aliases are accepted but would crowd the
  /// list), for a person the id, the name and the aliases, for the other facets every name they answer
  /// to. Names that a shell could not show or take back as one word (control characters, line breaks)
  /// are left out. A file that cannot be read or decoded gives no candidates and no message: the error
  /// belongs to the command, when it runs.
  static func values(_ facet: Facet, words: [String]) -> [String] {
    guard let timeline = timeline(words: words) else { return [] }
    var seen = Set<String>()
    var out: [String] = []
    for value in timeline.usedValues(facet) {
      var names = timeline.names(facet, value)
      if facet == .country, let country = timeline.countries[slot: value] {
        names = [country.code, country.name] + (country.nameFR.map { [$0] } ?? [])
      }
      for name in names where !name.unicodeScalars.contains(where: TerminalSafety.isUnsafe) {
        if seen.insert(name).inserted { out.append(name) }
      }
    }
    return out
  }

  /// The timeline the command line names, read as the command would read it (`--data` and the options
  /// for other formats, parsed by the same definitions); nil when it cannot be read.
  static func timeline(words: [String]) -> Timeline? {
    // What is wrong with the file is for the command to say when it runs, not for the shell's screen.
    let null = open("/dev/null", O_WRONLY)
    if null >= 0 {
      dup2(null, STDERR_FILENO)
      close(null)
    }
    // Standard input is the terminal while the shell completes: nothing to read there.
    guard let options = try? DataOptions.parse(dataArguments(in: words)), options.data != "-" else { return nil }
    return try? options.load()
  }

  /// The names of `DataOptions`' options (`--data` and the options for other formats), and whether each
  /// takes a value, as the parser describes them (the same description generate-manual reads).
  static let dataOptions: [String: Bool] = {
    struct Help: Decodable {
      struct Command: Decodable { var arguments: [Argument]? }
      struct Argument: Decodable {
        var kind: String
        var names: [Name]?
      }
      struct Name: Decodable {
        var kind: String
        var name: String
      }
      var command: Command
    }
    guard let help = try? JSONDecoder().decode(Help.self, from: Data(DataOptions._dumpHelp().utf8)) else { return [:] }
    var options: [String: Bool] = [:]
    for argument in help.command.arguments ?? [] where argument.kind != "positional" {
      for name in argument.names ?? [] {
        options[(name.kind == "short" ? "-" : "--") + name.name] = argument.kind == "option"
      }
    }
    return options
  }()

  /// The words that say which data to read and how (`--data FILE`, `--format-in csv`, `--columns=…`),
  /// unquoted as the shell would.
  static func dataArguments(in words: [String]) -> [String] {
    var out: [String] = []
    var i = 0
    while i < words.count {
      let word = unquoted(words[i])
      if let takesValue = dataOptions[String(word.prefix { $0 != "=" })] {
        if !takesValue || word.contains("=") {
          out.append(word)
        } else if i + 1 < words.count {
          out += [word, unquoted(words[i + 1])]
          i += 1
        }
      }
      i += 1
    }
    return out
  }

  /// A shell word as the command would receive it: quotes removed ('…', "…"), backslash escapes
  /// resolved, and a leading `~` or `~/` turned into the home directory. The scripts pass words as they
  /// were typed.
  static func unquoted(_ word: String) -> String {
    var out = ""
    var quote: Character?
    var escaped = false
    for c in word {
      if escaped {
        out.append(c)
        escaped = false
      } else if quote == "'" {
        if c == "'" { quote = nil } else { out.append(c) }
      } else if c == "\\" {
        escaped = true
      } else if let q = quote {
        if c == q { quote = nil } else { out.append(c) }
      } else if c == "'" || c == "\"" {
        quote = c
      } else {
        out.append(c)
      }
    }
    if out == "~" || out.hasPrefix("~/"), word.first == "~", let home = ProcessInfo.processInfo.environment["HOME"] {
      out = home + out.dropFirst()
    }
    return out
  }
}
