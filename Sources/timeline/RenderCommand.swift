import ArgumentParser
import TimelineCore
import TimelineUI

/// `timeline render`: draws the explorer's screen for a size and a sequence of keys, as text, without
/// a terminal. For scripts, bug reports and documentation (tig has the same idea in `:save-display`).
struct RenderCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "render",
    abstract: "Print the explorer's screen as text after a sequence of keys (no terminal needed).",
    discussion: """
      Keys are separated by spaces: single characters (j, /, ?), names (Enter, Esc, Tab, S-Tab, Space, Up, Down, \
      Left, Right, PgUp, PgDn, Home, End, Backspace, Delete), control keys (C-d), and text:WORD to type a word.
      Example: timeline render --size 100x30 --keys "c text:chy Tab Enter"
      """,
    shouldDisplay: false
  )

  @OptionGroup var data: DataOptions
  @OptionGroup var filters: FilterOptions

  @Option(help: ArgumentHelp("Screen size as WIDTHxHEIGHT.", valueName: "size"))
  var size = "120x40"

  @Option(help: ArgumentHelp("Keys to press before printing.", valueName: "keys"))
  var keys = ""

  @Flag(help: "Draw without colour (as under NO_COLOR); the text is the same.")
  var noColor = false

  @Flag(help: "Draw in ASCII, as the explorer does where the locale is not UTF-8 (LC_ALL=C).")
  var ascii = false

  @Option(help: ArgumentHelp("A configuration file to draw with (its keys and colours); render reads no other.", valueName: "file"))
  var config: String?

  @Flag(help: "Print the key table in Markdown (as the README shows it) and stop.")
  var keyTable = false

  @Flag(help: ArgumentHelp("Print the keys as the manual page's KEYS section (mdoc) and stop.", visibility: .private))
  var manualKeys = false

  mutating func run() throws {
    if keyTable || manualKeys {
      Output.write(keyTable ? Command.markdownTable : Command.mdocKeyList)
      return
    }
    let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
    guard parts.count == 2, parts[0] > 0, parts[1] > 0, parts[0] <= 1000, parts[1] <= 1000 else {
      throw ValidationError("--size must look like 120x40")
    }
    let timeline = try data.load()
    var state = AppState(timeline: timeline, size: Size(width: parts[0], height: parts[1]), query: try filters.query(for: timeline),
                         colorEnabled: !noColor)
    if let config {
      switch Config.load(path: config) {
      case .success(let c):
        state.bindings = c.bindings
        state.theme = c.theme
      case .failure(let problems):
        for p in problems.list { Output.error(p.description) }
        throw ExitCode(78)
      }
    }
    for token in keys.split(separator: " ") {
      guard let actions = KeySpec.actions(String(token)) else { throw ValidationError("unknown key \"\(token)\" in --keys") }
      for action in actions {
        var pending = update(&state, action)
        // Run searches and pickers' counts at once, as a synchronous runtime would.
        while let effect = pending.first {
          pending.removeFirst()
          if case .search(let request) = effect {
            pending += update(&state, .searchFinished(request.run(on: timeline, previous: nil)))
          }
          if case .countFacet(let request) = effect { pending += update(&state, .facetCounted(request.run(on: timeline))) }
        }
      }
    }
    let screen = view(state)
    Output.write((ascii ? TerminalText.asciiText(screen) : screen.text) + "\n")
  }
}

/// Key names for `render --keys`.
enum KeySpec {
  static func actions(_ token: String) -> [Action]? {
    if token.hasPrefix("text:") { return token.dropFirst(5).map { .key(.char($0)) } }
    return Key(name: token).map { [.key($0)] }
  }
}
