import Testing
import TimelineCore
@testable import TimelineUI

/// The theme and key bindings a configuration file gives: the views draw with the state's theme, and
/// keys, help and footer follow the state's bindings.
@Suite("themes and key bindings")
struct ThemeAndBindingsTests {
  /// A screen with a kept search match that is not the selected row.
  func screen(_ theme: Theme, color: Bool = true) -> Buffer {
    var s = AppState(timeline: Fixtures.bundled, size: Fixtures.large, colorEnabled: color)
    s.theme = theme
    press(&s, "/", "text:olathe", "Enter", "k", "k")
    return view(s)
  }

  /// The style of the first cell of `word` on the row holding it.
  func style(of word: String, in b: Buffer) throws -> Style {
    let row = try #require(b.lines.firstIndex { $0.contains(word) }, "\(word) is not on the screen")
    let line = b.lines[row]
    let x = line.distance(from: line.startIndex, to: line.range(of: word)!.lowerBound)
    return b[x, row].style
  }

  @Test("the light preset draws matches and year headings without yellow or cyan; the text is the same")
  func lightPreset() throws {
    let dark = screen(.dark)
    let light = screen(.light)
    #expect(light.text == dark.text)
    #expect(try style(of: "Olathe", in: dark).foreground == .yellow)
    #expect(try style(of: "Olathe", in: light).foreground == .magenta)
    #expect(try style(of: "Olathe", in: light).underline, "the meaning stays in the attribute")
    for y in 0..<light.size.height {
      for x in 0..<light.size.width {
        #expect(![.yellow, .cyan].contains(light[x, y].style.foreground), "yellow or cyan text at \(x),\(y)")
      }
    }
  }

  @Test("COLORFGBG's last field is the background: light for 7 and 9-15, dark for 0-6 and 8, no opinion otherwise")
  func backgroundFromColorFGBG() {
    #expect(Theme.preset(colorFGBG: "0;15") == .light)
    #expect(Theme.preset(colorFGBG: "0;default;7") == .light)
    #expect(Theme.preset(colorFGBG: "15;0") == .dark)
    #expect(Theme.preset(colorFGBG: "7;8") == .dark)
    for unknown in [nil, "", "default", "0;default", "15;16", "x;y", "0;-1"] {
      #expect(Theme.preset(colorFGBG: unknown) == nil, "\(unknown ?? "nil")")
    }
  }

  @Test("a role restyled by the configuration is drawn so; NO_COLOR still wins")
  func restyledRole() throws {
    var theme = Theme.dark
    theme[.hit] = Style(foreground: .black, background: .yellow, bold: true)
    let b = screen(theme)
    let s = try style(of: "Olathe", in: b)
    #expect(s.foreground == .black && s.background == .yellow && s.bold)
    let plain = try style(of: "Olathe", in: screen(theme, color: false))
    #expect(plain.foreground == nil && plain.background == nil && plain.bold)
  }

  @Test("the too-small notice names the key that quits, rebound or not")
  func tooSmallNamesQuitKey() throws {
    var s = AppState(timeline: Fixtures.bundled, size: Size(width: 30, height: 8))
    #expect(view(s).text.contains("press q to quit"))
    s.bindings = try KeyBindings(rebinding: [.quit: [.char("Q")]])
    let text = view(s).text
    #expect(text.contains("press Q to quit") && !text.contains("press q"), "\(text)")
  }

  @Test("a rebound key runs its command, the old key no longer does, and the help and footer show the new one")
  func rebinding() throws {
    var s = AppState(timeline: Fixtures.bundled, size: Fixtures.large)
    s.bindings = try KeyBindings(rebinding: [.moveDown: [.ctrl("n")], .quit: [.char("Q")], .help: [.function(1)]])
    #expect(update(&s, .key(.char("q"))).isEmpty, "q no longer quits")
    #expect(s.message == "q does nothing here; press F1 for help")
    #expect(update(&s, .key(.ctrl("n"))).isEmpty && s.selected == 1)
    #expect(update(&s, .key(.char("j"))).isEmpty && s.selected == 1, "j is no longer bound")
    #expect(update(&s, .key(.char("Q"))).contains(.quit))
    let footer = view(s).lines.last ?? ""
    #expect(footer.contains("C-n/k move") && footer.contains("F1 help") && footer.contains("Q quit"), "\(footer)")
    let help = HelpView.lines(s.size, bindings: s.bindings)
    #expect(help.first { $0.text == Command.moveDown.help }?.keys == "Ctrl-N")
    #expect(help.first { $0.text.hasPrefix(Command.quit.help.prefix(10)) }?.keys == "Q")
    _ = update(&s, .key(.function(1)))
    #expect(view(s).text.contains("Keys"), "F1 opens the help")
  }

  @Test("a rebound key is taken from the command that had it; two rebound commands may not share one")
  func takenAndConflicts() throws {
    let b = try KeyBindings(rebinding: [.search: [.char("j")]])
    #expect(b.command(for: .char("j"), in: .list) == .search)
    #expect(b.keys(.moveDown) == [.down])
    #expect(b.command(for: .char("j"), in: .detail) == .detailDown, "other scopes keep their keys")
    #expect(throws: KeyBindings.Conflict.self) { try KeyBindings(rebinding: [.search: [.char("j")], .moveDown: [.char("j")]]) }
    // Every command can be named in a configuration file and read back.
    for c in Command.allCases { #expect(Command(configName: c.configName) == c) }
  }

  @Test("key names as a configuration file writes them", arguments: [
    ("q", Key.char("q")), ("Ctrl-Q", .ctrl("q")), ("C-x", .ctrl("x")), ("Enter", .enter), ("esc", .escape), ("Shift-Tab", .backTab),
    ("Space", .char(" ")), ("PgDn", .pageDown), ("↓", .down), ("F12", .function(12)),
  ])
  func keyNames(_ name: String, _ key: Key) {
    #expect(Key(name: name) == key)
  }

  @Test func badKeyNames() {
    for name in ["", "Ctrl-QQ", "F13", "Hyper-x", "Ctrl-1"] { #expect(Key(name: name) == nil, "\(name)") }
  }
}
