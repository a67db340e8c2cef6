import Testing
import TimelineCore
@testable import TimelineUI

/// `NO_COLOR` / `--no-color`: no colour anywhere, and every meaning still shown by an attribute.
@Suite("NO_COLOR")
struct NoColorTests {
  /// A screen with a kept search whose match is not the selected row, so both are visible.
  func screen(color: Bool, size: Size = Fixtures.large, _ keys: String...) -> (AppState, Buffer) {
    var s = AppState(timeline: Fixtures.bundled, size: size, colorEnabled: color)
    press(&s, "/", "text:olathe", "Enter", "k", "k")
    send(&s, keys.flatMap(keyActions))
    return (s, view(s))
  }

  func colouredCells(_ b: Buffer) -> [(Int, Int)] {
    var out: [(Int, Int)] = []
    for y in 0..<b.size.height {
      for x in 0..<b.size.width where b[x, y].style.foreground != nil || b[x, y].style.background != nil { out.append((x, y)) }
    }
    return out
  }

  @Test(arguments: [[], ["Enter"], ["?"], ["c"], ["p", "text:bri"], ["/", "text:bri"]])
  func noCellHasAColour(_ keys: [String]) {
    for size in [Fixtures.large, Fixtures.medium, Fixtures.small] {
      var s = AppState(timeline: Fixtures.bundled, size: size, colorEnabled: false)
      press(&s, "/", "text:olathe", "Enter", "k", "k")
      send(&s, keys.flatMap(keyActions))
      let b = view(s)
      #expect(colouredCells(b).isEmpty, "\(keys) at \(size): \(colouredCells(b).prefix(5))")
    }
  }

  @Test func theSelectionIsStillReverseAndMatchedWordsStillMarked() throws {
    let (s, b) = screen(color: false)
    let lines = b.lines
    let selectedRow = try #require(lines.firstIndex { $0.hasPrefix("▸") })
    let listWidth = Layout(state: s).list.width
    for x in 0..<listWidth { #expect(b[x, selectedRow].style.reverse, "selected row, column \(x)") }

    let matchRow = try #require(lines.firstIndex { $0.contains("Jonatan Correa arrested in Olathe") })
    #expect(matchRow != selectedRow)
    #expect(lines[matchRow].hasPrefix(" *"), "the match carries its * mark")
    #expect(b[1, matchRow].style.underline, "the * mark")
    // The word that matched is bold and underlined, without colour too.
    let wordX = try #require(lines[matchRow].range(of: "Olathe").map { lines[matchRow].distance(from: lines[matchRow].startIndex, to: $0.lowerBound) })
    for x in wordX..<(wordX + 6) { #expect(b[x, matchRow].style.underline && b[x, matchRow].style.bold, "matched word, column \(x)") }
    // And the text is the same as in colour.
    #expect(b.text == screen(color: true).1.text)
  }

  @Test func colourIsThereWhenEnabled() {
    let (_, b) = screen(color: true)
    #expect(!colouredCells(b).isEmpty)
  }

  @Test func pickerHighlightIsReverseWithoutColour() throws {
    let (_, b) = screen(color: false, "c")
    let row = try #require(b.lines.firstIndex { $0.contains("[ ] United States (US)") })
    let x = try #require(b.lines[row].range(of: "United").map { b.lines[row].distance(from: b.lines[row].startIndex, to: $0.lowerBound) })
    #expect(b[x, row].style.reverse)
  }
}
