import Testing
import TimelineCore
@testable import TimelineUI

/// What reaches a real terminal: ASCII stand-ins where the locale is not UTF-8, the clusters that need
/// the cursor placed after them, and the colours of an 8-colour terminal.
@Suite("Terminal text and colours")
struct TerminalTextTests {
  func ascii(_ text: String) -> String {
    var b = Buffer(size: Size(width: 40, height: 1))
    b.put(text, x: 0, y: 0)
    return TerminalText.asciiText(b)
  }

  @Test func boxDrawingMarksAndBarsBecomeASCII() {
    #expect(ascii("┌──┐│└┘├┤┃") == "+--+|++++|")
    #expect(ascii("▸ ● ○ ▲ … · –") == "> * o ^ ~ - -")
    #expect(ascii(" ▁▂▃▄▅▆▇█░") == " ...:::##-")
    #expect(ascii("“quoted” ‘x’ ↑↓←→") == "\"quoted\" 'x' ^v<>")
  }

  @Test func otherTextIsAQuestionMarkAColumn() {
    #expect(ascii("République") == "R?publique")
    #expect(ascii("Re\u{301}union") == "R?union", "a letter with a combining mark is one cluster, one column")
    #expect(ascii("東京 x") == "???? x", "a wide character is two question marks, so columns do not move")
    #expect(ascii("स्त्र|") == "???|")
    #expect(ascii("👨\u{200D}👩\u{200D}👧 🇫🇷") == "?? ??")
    #expect(ascii("a\u{1B}b") == "a?b", "a control character's placeholder is not ASCII either")
  }

  @Test func aWholeScreenInASCIIKeepsItsColumns() {
    var s = AppState(timeline: Fixtures.tiny, size: Fixtures.large)
    press(&s, "j")
    let screen = view(s)
    let text = TerminalText.asciiText(screen)
    #expect(text.unicodeScalars.allSatisfy { ($0.value >= 0x20 && $0.value < 0x7F) || $0 == "\n" })
    #expect(text.contains("?"), "the fixture's CJK title")
    for y in 0..<screen.size.height {
      var columns = 0
      for x in 0..<screen.size.width where !screen[x, y].isContinuation { columns += TerminalText.ascii(screen[x, y]).count }
      #expect(columns == screen.size.width, "row \(y)")
    }
  }

  /// A stand-in for the C library's table: Unicode 14-era, so it does not know the newest emoji.
  static func oldHostWidth(_ s: Unicode.Scalar) -> Int {
    if s.value == 0x1FAE8 { return -1 }
    if s.value == 0x1F1EB || s.value == 0x1F1F7 { return 1 }
    if s.value == 0x2630 { return 1 }
    return DisplayWidth.of(s)
  }

  @Test(arguments: [
    ("a", 1, true), ("é", 1, true), ("e\u{301}", 1, true), ("東", 2, true), ("\u{1112}\u{1161}\u{11AB}", 2, true),
    ("🫨", 2, false), ("🇫🇷", 2, false), ("❤\u{FE0F}", 2, false), ("👍🏽", 2, false), ("👨\u{200D}👩\u{200D}👧", 2, false),
    ("कि", 2, false), ("\u{2630}", 2, false), ("\u{600}\u{661}", 2, false), ("\u{3297}\u{FE0E}", 2, false),
  ])
  func whichClustersNeedTheCursorPlacedAfterThem(_ text: String, _ columns: Int, _ settled: Bool) {
    #expect(DisplayWidth.of(text) == columns)
    #expect(TerminalText.isSettled(text.unicodeScalars, columns: columns, hostWidth: Self.oldHostWidth) == settled)
  }

  @Test func eightColourTerminalsNeverDrawBoldBlack() {
    let styles = [
      Theme.title, Theme.dim, Theme.label, Theme.selected, Theme.match, Theme.yearHeading, Theme.monthHeading, Theme.codes,
      Theme.message, Theme.key, Theme.border, Theme.notes, Theme.filterOn, Theme.spark, Theme.sparkOutside, Theme.marker,
      Theme.era,
    ] + Confidence.allCases.map(Theme.confidence)
    for style in styles {
      let eight = style.forTerminal(colors: 8)
      #expect(eight.foreground.map { $0.rawValue < 8 } ?? true, "bright colours do not exist on 8-colour terminals")
      // Black or white text vanishes on a dark or a light background; the terminal's own colour reads on both.
      #expect(eight.foreground != .black && eight.foreground != .white, "\(style)")
      #expect(style.forTerminal(colors: 16) == style)
    }
    let border = Theme.border.forTerminal(colors: 8)
    #expect(border.foreground == nil && border.dim && !border.bold)
    #expect(Style(foreground: .brightRed).forTerminal(colors: 8) == Style(foreground: .red, bold: true))
  }
}
