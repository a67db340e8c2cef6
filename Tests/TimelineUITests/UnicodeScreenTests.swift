import SnapshotTesting
import Testing
import TimelineCore
@testable import TimelineUI

/// The tiny fixture (accents, combining marks, CJK and emoji, an escape sequence, a very long title) on
/// screen: snapshots in `__Snapshots__/UnicodeScreenTests/`, plus direct checks of the cells, which a
/// text snapshot cannot see (widths, control characters).
@Suite("screens with hard text")
struct UnicodeScreenTests {
  static let sizes = [Fixtures.large, Fixtures.medium]

  /// The tiny case with the CJK event selected, so the detail shows CJK text too.
  func tinyState(_ size: Size, _ keys: String...) -> AppState {
    var s = AppState(timeline: Fixtures.tiny, size: size)
    press(&s, "j")
    #expect(s.selectedID == Fixtures.Tiny.cjk)
    send(&s, keys.flatMap(keyActions))
    return s
  }

  /// Checks that hold for any screen: every row is exactly the screen's width on a terminal, no cell
  /// holds a control character, and a wide character is always followed by its continuation cell.
  func checkCells(_ buffer: Buffer, sourceLocation: SourceLocation = #_sourceLocation) {
    let width = buffer.size.width
    for (y, line) in buffer.lines.enumerated() {
      #expect(DisplayWidth.of(line) == width, "row \(y) is \(DisplayWidth.of(line)) columns: \(line)", sourceLocation: sourceLocation)
    }
    for y in 0..<buffer.size.height {
      for x in 0..<width {
        let cell = buffer[x, y]
        let bad = cell.text.unicodeScalars.filter { $0.value < 0x20 || $0.value == 0x1B || (0x7F...0x9F).contains($0.value) }
        #expect(bad.isEmpty, "cell (\(x), \(y)) holds \(bad.map { String($0.value, radix: 16) })", sourceLocation: sourceLocation)
        let w = cell.isContinuation ? 0 : DisplayWidth.of(cell.text)
        if w == 2 {
          #expect(x + 1 < width && buffer[x + 1, y].isContinuation, "wide cell (\(x), \(y)) \"\(cell.text)\" has no continuation", sourceLocation: sourceLocation)
        }
        if cell.isContinuation {
          #expect(x > 0 && DisplayWidth.of(buffer[x - 1, y].text) == 2, "continuation (\(x), \(y)) follows no wide cell", sourceLocation: sourceLocation)
        }
      }
    }
  }

  @Test(arguments: sizes)
  func tinyCase(_ size: Size) throws {
    let s = tinyState(size)
    let buffer = view(s)
    assertScreen(buffer.text, named: "\(size.width)x\(size.height)")
    checkCells(buffer)

    let lines = buffer.lines
    // (a) The CJK title's row is as wide as every other row (13 columns for 7 characters).
    let cjkRow = try #require(lines.firstIndex { $0.hasPrefix("▸") })
    #expect(DisplayWidth.of(Fixtures.Tiny.cjkTitle) == 13)
    #expect(DisplayWidth.of(lines[cjkRow]) == size.width)
    #expect(lines[cjkRow].hasPrefix("▸ 2020-08-25  ○ 東京で会議 🎉"))
    #expect(buffer[16, cjkRow].text == "東" && buffer[17, cjkRow].isContinuation)

    // (b) The escape sequence is shown as placeholders, not sent.
    let escRow = try #require(lines.firstIndex { $0.contains("Harmless") })
    #expect(lines[escRow].contains("Harmless ␛]0;pwned␇ title"))

    // (c) The long title is cut with "…" where the list ends.
    let longRow = try #require(lines.firstIndex { $0.contains("A deliberately long title") })
    #expect(lines[longRow].contains("…"))
    #expect(!lines[longRow].contains("ellipsis"))
    let listWidth = Layout(state: s).list.width
    let listPart = String(lines[longRow].prefix(listWidth))
    #expect(listPart.trimmingCharacters(in: .whitespaces).hasSuffix("US"), "the country code stays visible after the cut title")

    // Accents, precomposed and combining, come through whole.
    #expect(lines.contains { $0.contains("Chypre et la République tchèque coopèrent") })
    #expect(lines.contains { $0.contains("Re\u{301}union a\u{300} Zu\u{308}rich") })
    // The header counts and the CJK title of the case.
    #expect(lines[0].contains("Petit cas · 東京 fixture") && lines[0].hasSuffix("5 events "))
  }

  @Test(arguments: sizes)
  func tinyCaseDetailFocused(_ size: Size) {
    let buffer = view(tinyState(size, "Enter"))
    assertScreen(buffer.text, named: "\(size.width)x\(size.height)")
    checkCells(buffer)
    #expect(buffer.text.contains("会議は東京で開かれ"))
    if size == Fixtures.large { #expect(buffer.text.contains("• 田中太郎")) }
  }

  @Test func escapeEventDetail() {
    var s = AppState(timeline: Fixtures.tiny, size: Fixtures.large)
    press(&s, ":", "text:2020-08-26", "Enter")
    #expect(s.selectedID == Fixtures.Tiny.escape)
    let buffer = view(s)
    assertScreen(buffer.text, named: "120x40")
    checkCells(buffer)
    #expect(buffer.text.contains("window.␛[2J"))
  }

  /// Overlays drawn over wide characters must not leave half of one behind.
  @Test(arguments: [["?"], ["c"], ["p"], ["c", "text:jap"]])
  func overlaysOverWideCharacters(_ keys: [String]) {
    for size in Self.sizes + [Size(width: 100, height: 30), Size(width: 57, height: 12)] {
      var s = AppState(timeline: Fixtures.tiny, size: size)
      press(&s, "j")
      send(&s, keys.flatMap(keyActions))
      checkCells(view(s))
    }
  }

  @Test func everyWidthFromTheMinimumUp() {
    // The list's columns move with the width; no width may break a row.
    for width in 40...130 {
      for keys in [["j"], ["j", "Enter"], ["G"]] {
        var s = AppState(timeline: Fixtures.tiny, size: Size(width: width, height: 24))
        send(&s, keys.flatMap(keyActions))
        checkCells(view(s))
      }
    }
  }
}
