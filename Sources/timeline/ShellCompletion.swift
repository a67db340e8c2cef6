import ArgumentParser
import BundledTimeline
import Foundation
import TimelineCore

/// The values the shells complete for the facet options (`--country Fr<Tab>`), read from the timeline
/// the command line names: the file after `--data` among the words typed so far, else the bundled case.
///
/// The completion scripts (`timeline --generate-completion-script bash|zsh|fish`) call the binary back
/// with the words on the command line when Tab is pressed; swift-argument-parser runs the closure given
/// here and prints what it returns, and the shell keeps the candidates that start with what was typed.
enum ShellCompletion {
  static func facet(_ facet: Facet) -> CompletionKind {
    .custom { words, _, _ in values(facet, words: words) }
  }

  /// The names of the values that some event carries, each once, in the timeline's order: for a country
  /// its code and its English and French names (its other aliases are accepted but would crowd the list),
  /// for a person the id, the name and the aliases, for the other facets every name they answer to. Names that a shell could not show or take back as one word (control characters, line
  /// breaks) are left out. A file that cannot be read or decoded gives no candidates and no message: the
  /// error belongs to the command, when it runs.
  static func values(_ facet: Facet, words: [String]) -> [String] {
    guard let timeline = timeline(words: words) else { return [] }
    var seen = Set<String>()
    var out: [String] = []
    for value in timeline.usedValues(facet) {
      var names = timeline.names(facet, value)
      if facet == .country, let country = timeline.countries[slot: value] { names = [country.code, country.name] + (country.nameFR.map { [$0] } ?? []) }
      for name in names where !name.unicodeScalars.contains(where: TerminalSafety.isUnsafe) {
        if seen.insert(name).inserted { out.append(name) }
      }
    }
    return out
  }

  static func timeline(words: [String]) -> Timeline? {
    guard let path = dataPath(in: words) else {
      return try? TimelineDecoder.decode(BundledTimeline.sparksGroup, fileName: BundledTimeline.displayName)
    }
    // Standard input is the terminal while the shell completes: nothing to read there.
    guard path != "-", !path.isEmpty else { return nil }
    return try? TimelineLoader.load(path: path)
  }

  /// The last `--data FILE` or `--data=FILE` among the words, unquoted as the shell would.
  static func dataPath(in words: [String]) -> String? {
    var path: String?
    for (i, word) in words.enumerated() {
      if word == "--data", i + 1 < words.count {
        path = unquoted(words[i + 1])
      } else if word.hasPrefix("--data=") {
        path = unquoted(String(word.dropFirst("--data=".count)))
      }
    }
    return path
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
