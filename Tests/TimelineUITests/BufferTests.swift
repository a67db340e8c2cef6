import Testing
import TimelineCore
@testable import TimelineUI

/// `Buffer`: writing text into cells (widths, truncation, placeholders) and the diff the backend draws.
@Suite("Buffer")
struct BufferTests {
  func buffer(_ width: Int, _ height: Int = 1) -> Buffer { Buffer(size: Size(width: width, height: height)) }

  /// The texts of row `y`'s cells.
  func cells(_ b: Buffer, _ y: Int = 0) -> [String] { (0..<b.size.width).map { b[$0, y].text } }

  @Test func asciiFillsOneCellPerCharacter() {
    var b = buffer(6)
    #expect(b.put("abc", x: 1, y: 0) == 4)
    #expect(cells(b) == [" ", "a", "b", "c", " ", " "])
    #expect(b.text == " abc")
  }

  @Test func accentedLettersTakeOneCellEach() {
    var b = buffer(20)
    let end = b.put("République tchèque", x: 0, y: 0)
    #expect(end == 18)
    #expect(b[1, 0].text == "é" && b[14, 0].text == "è")
    #expect(b.lines[0] == "République tchèque  ")
    #expect(DisplayWidth.of(b.lines[0]) == 20)
  }

  @Test func cjkTakesTwoCellsWithAnEmptyContinuation() {
    var b = buffer(8)
    #expect(b.put("日本a", x: 1, y: 0) == 6)
    #expect(cells(b) == [" ", "日", "", "本", "", "a", " ", " "])
    #expect(b[2, 0].isContinuation && !b[1, 0].isContinuation)
    #expect(b.lines[0] == " 日本a  ")
    #expect(DisplayWidth.of(b.lines[0]) == 8)
  }

  @Test func hangulAndFullwidthAreWide() {
    var b = buffer(8)
    #expect(b.put("한국！", x: 0, y: 0) == 6)
    #expect(cells(b) == ["한", "", "국", "", "！", "", " ", " "])
  }

  @Test func emojiIsWide() {
    var b = buffer(5)
    #expect(b.put("🎉x", x: 0, y: 0) == 3)
    #expect(cells(b) == ["🎉", "", "x", " ", " "])
  }

  @Test func anEmojiPresentationSelectorMakesANarrowSymbolATwoColumnEmoji() {
    // U+2764 is one column; with U+FE0F it is the red heart emoji, which takes two.
    var b = buffer(4)
    #expect(b.put("\u{2764}\u{FE0F}a", x: 0, y: 0) == 3)
    #expect(cells(b) == ["\u{2764}\u{FE0F}", "", "a", " "])
    #expect(b[0, 0].columns == 2 && b[1, 0].isContinuation)
  }

  @Test func longClustersAreStoredWhole() {
    let family = "👨\u{200D}👩\u{200D}👧\u{200D}👦"  // 25 bytes
    let flag = "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}"  // Scotland, 28 bytes
    let syllable = "स्ते"  // 12 bytes
    var b = buffer(10)
    #expect(b.put(family + flag + syllable + "x", x: 0, y: 0) == 7)
    #expect(cells(b) == [family, "", flag, "", syllable, "", "x", " ", " ", " "])
    #expect(b[0, 0].glyph & ClusterStore.tag == ClusterStore.tag, "kept in the store, not inline")
    // Measuring alone (the detail pane wrapping a paragraph) does not fill the store.
    #expect(Buffer.glyph(Character(family), keep: false).bits == ClusterStore.tag)
    #expect(Buffer.glyph(Character(family)).bits == b[0, 0].glyph)
    // The same cluster drawn again is the same cell (the store keeps each once), so diffs see no change.
    var c = buffer(10)
    c.put(family + flag + syllable + "x", x: 0, y: 0)
    #expect(b == c && b.changes(since: c).isEmpty)
    // Canonically equivalent but different bytes are different cells: what is drawn is what was given.
    var d = buffer(2)
    var e = buffer(2)
    d.put("e\u{301}\u{327}", x: 0, y: 0)
    e.put("e\u{327}\u{301}", x: 0, y: 0)
    #expect(d[0, 0] != e[0, 0])
  }

  @Test func aClusterWiderThanTwoColumnsKeepsItsContinuations() {
    // A Devanagari conjunct of three letters is one cluster that terminals draw in three columns.
    var b = buffer(6)
    b.fill(b.area, ".")
    #expect(b.put("स्त्रa", x: 1, y: 0) == 5)
    #expect(cells(b) == [".", "स्त्र", "", "", "a", "."])
    #expect(b[1, 0].columns == 3)
    // Drawing over its last column blanks the rest of it.
    b.put("|", x: 3, y: 0)
    #expect(cells(b) == [".", " ", " ", "|", "a", "."])
    #expect(DisplayWidth.of(b.lines[0]) == 6)
  }

  @Test func aClusterTooLongToDrawIsCutWithAnEllipsis() {
    // 180 skin-tone modifiers are one grapheme cluster; a title made of it still shows that it is cut.
    var b = buffer(20)
    let huge = String(repeating: "\u{1F3FD}", count: 180)
    #expect(huge.count == 1)
    #expect(b.put(huge, x: 0, y: 0) == 3)
    #expect(b.text.hasSuffix("…"))
    #expect(b[0, 0].text.unicodeScalars.count == DisplayWidth.maxClusterScalars)
    // A stack of marks too: the letter, 31 of its marks, "…", and the text after it.
    var c = buffer(20)
    let zalgo = "Z" + String(repeating: "\u{301}", count: 100) + "ed"
    #expect(c.put(zalgo, x: 0, y: 0) == 4)
    #expect(cells(c).prefix(4).map { $0.unicodeScalars.count } == [32, 1, 1, 1])
    #expect(c.text.hasSuffix("…ed"))
    #expect(DisplayWidth.of(zalgo) == 4)
  }

  @Test func aCombiningMarkStaysWithItsLetter() {
    var b = buffer(6)
    #expect(b.put("Ze\u{301}bu", x: 0, y: 0) == 4)
    #expect(b[1, 0].text.unicodeScalars.map(\.value) == [0x65, 0x301])
    #expect(cells(b).count == 6)
    #expect(DisplayWidth.of(b.lines[0]) == 6)
    // A mark with nothing before it takes no cell.
    var c = buffer(3)
    #expect(c.put("\u{301}ab", x: 0, y: 0) == 2)
    #expect(cells(c) == ["a", "b", " "])
  }

  @Test func textThatFitsExactlyIsNotCut() {
    var b = buffer(10)
    #expect(b.put("abcde", x: 2, y: 0, maxWidth: 5) == 7)
    #expect(b.text == "  abcde")
    var wide = buffer(10)
    #expect(wide.put("日本", x: 0, y: 0, maxWidth: 4) == 4)
    #expect(wide.text == "日本")
    // Up to the buffer's own edge.
    var edge = buffer(5)
    #expect(edge.put("abcde", x: 0, y: 0) == 5)
    #expect(edge.text == "abcde")
  }

  @Test func oneColumnTooLongIsCutWithAnEllipsis() {
    var b = buffer(10)
    #expect(b.put("abcdef", x: 2, y: 0, maxWidth: 5) == 7)
    #expect(b.text == "  abcd…")
    #expect(b[7, 0].text == " ", "nothing is drawn past the limit")
    var edge = buffer(5)
    #expect(edge.put("abcdef", x: 0, y: 0) == 5)
    #expect(edge.text == "abcd…")
  }

  @Test func aWideCharacterThatWouldStraddleTheLimitIsNotSplit() {
    // "abc日" is 5 columns and would fit, but "本" does not: cut to 4 columns and the ellipsis.
    var b = buffer(8)
    b.fill(b.area, ".")
    #expect(b.put("abc日本", x: 0, y: 0, maxWidth: 5) == 4)
    #expect(cells(b) == ["a", "b", "c", "…", ".", ".", ".", "."])
    // "ab日" in 3 columns: the wide character would need columns 3 and 4.
    var c = buffer(6)
    c.fill(c.area, ".")
    #expect(c.put("ab日", x: 0, y: 0, maxWidth: 3) == 3)
    #expect(cells(c) == ["a", "b", "…", ".", ".", "."])
    // At the buffer's right edge.
    var d = buffer(5)
    #expect(d.put("abcd日", x: 0, y: 0) == 5)
    #expect(cells(d) == ["a", "b", "c", "d", "…"])
    // A single column left for a wide character: just the ellipsis.
    var e = buffer(5)
    #expect(e.put("日本", x: 4, y: 0) == 5)
    #expect(cells(e) == [" ", " ", " ", " ", "…"])
  }

  @Test func aVeryLongTitleIsMeasuredOnlyAsFarAsNeeded() {
    var b = buffer(20)
    let huge = String(repeating: "東京 ", count: 200_000)
    #expect(b.put(huge, x: 0, y: 0) == 20)
    #expect(b[19, 0].text == "…")
    #expect(DisplayWidth.of(b.lines[0]) == 20)
  }

  @Test func controlCharactersBecomeVisiblePlaceholders() {
    var b = buffer(16)
    let end = b.put("a\u{1B}]0;x\u{07}b\tc\nd\u{7F}\u{9B}\u{202E}e", x: 0, y: 0)
    #expect(b.lines[0].hasPrefix("a␛]0;x␇b␉c␤d␡��e"))
    #expect(end == 16)
    for x in 0..<16 {
      #expect(!b[x, 0].text.unicodeScalars.contains { TerminalSafety.isUnsafe($0) }, "cell \(x)")
    }
    // A control character inside a grapheme cluster (CR LF is one Character) is replaced too.
    var crlf = buffer(4)
    crlf.put("a\r\nb", x: 0, y: 0)
    #expect(!crlf.lines[0].unicodeScalars.contains { $0.value < 0x20 })
    #expect(crlf.lines[0].hasPrefix("a␍"))
  }

  @Test func writingOutsideTheBufferIsClipped() {
    var b = buffer(4, 2)
    #expect(b.put("abc", x: 0, y: 2) == 0)
    #expect(b.put("abc", x: 5, y: 0) == 5)
    #expect(b.put("abc", x: 0, y: -1) == 0)
    b.fill(Rect(x: -2, y: -2, width: 10, height: 3), "#")
    #expect(b.text == "####\n")
    #expect(b == buffer(4, 2).filled("#", rows: 0..<1))
  }

  @Test func overwritingHalfOfAWideCharacterBlanksTheOtherHalf() {
    // Over the second half: the first half goes.
    var a = buffer(6)
    a.put("日本語", x: 0, y: 0)
    a.put("|", x: 1, y: 0)
    #expect(cells(a) == [" ", "|", "本", "", "語", ""])
    // Over the first half: the second half goes.
    var b = buffer(6)
    b.put("日本語", x: 0, y: 0)
    b.put("|", x: 2, y: 0)
    #expect(cells(b) == ["日", "", "|", " ", "語", ""])
    // A wide character over the middle of two others.
    var c = buffer(6)
    c.put("日本語", x: 0, y: 0)
    c.put("東", x: 1, y: 0)
    #expect(cells(c) == [" ", "東", "", " ", "語", ""])
    // A fill whose edges cut wide characters (an overlay's box).
    var d = buffer(6)
    d.put("日本語", x: 0, y: 0)
    d.fill(Rect(x: 1, y: 0, width: 4, height: 1), "#")
    #expect(cells(d) == [" ", "#", "#", "#", "#", " "])
    for buf in [a, b, c, d] { #expect(DisplayWidth.of(buf.lines[0]) == 6) }
  }

  // MARK: - changes(since:)

  @Test func changesAgainstNothingIsEveryRowWhole() {
    var b = buffer(5, 3)
    b.put("hi", x: 0, y: 1)
    let runs = b.changes(since: nil)
    #expect(runs.map(\.y) == [0, 1, 2])
    #expect(runs.allSatisfy { $0.x == 0 && $0.cells.count == 5 })
    // A new size is a new screen: everything again.
    #expect(b.changes(since: buffer(4, 3)).count == 3)
  }

  @Test func noChangeNoRun() {
    var b = buffer(10, 2)
    b.put("same 日本", x: 0, y: 0)
    #expect(b.changes(since: b).isEmpty)
  }

  @Test func onlyTheChangedRunsAreReturned() {
    var old = buffer(12, 3)
    old.put("hello world", x: 0, y: 0)
    old.put("second line", x: 0, y: 2)
    var new = old
    new.put("J", x: 0, y: 0)  // hello → Jello
    new.put("W", x: 6, y: 0)  // world → World
    new.put("XY", x: 3, y: 2)
    let runs = new.changes(since: old)
    #expect(runs.map { [$0.x, $0.y, $0.cells.count] } == [[0, 0, 1], [6, 0, 1], [3, 2, 2]])
    #expect(runs.map { $0.cells.map(\.text).joined() } == ["J", "W", "XY"])
    // A style change is a change.
    var styled = old
    styled.restyle(Rect(x: 2, y: 2, width: 3, height: 1), Style(reverse: true))
    #expect(styled.changes(since: old).map { [$0.x, $0.y, $0.cells.count] } == [[2, 2, 3]])
  }

  @Test func aRunNeverStartsOnAContinuationCell() {
    var old = buffer(10)
    old.put("ab日本cd", x: 0, y: 0)
    // Restyling from the middle of 日 (its continuation, column 3) onward.
    var new = old
    new.restyle(Rect(x: 3, y: 0, width: 4, height: 1), Style(underline: true))
    let runs = new.changes(since: old)
    #expect(runs.count == 1)
    let run = runs[0]
    #expect(run.x == 2, "the run backs up to the wide character")
    #expect(run.cells.first?.text == "日")
    for r in runs { #expect(!new[r.x, r.y].isContinuation) }

    // A wide character replacing two narrow ones, where only the second cell changes text.
    var a = buffer(6)
    a.put("x日y", x: 0, y: 0)
    var b = a
    b.put("z", x: 2, y: 0)  // overwrites the continuation
    for r in b.changes(since: a) { #expect(!b[r.x, r.y].isContinuation, "run at \(r.x)") }
  }

  @Test func changesEverywhereOnARealScreen() {
    // Moving the selection on a real screen: every run starts on a whole character.
    var s = AppState(timeline: Fixtures.tiny, size: Fixtures.large)
    var previous = view(s)
    for key in ["j", "j", "Enter", "j", "Esc", "k", "?", "Esc", "c"] {
      press(&s, key)
      let current = view(s)
      for run in current.changes(since: previous) {
        #expect(!current[run.x, run.y].isContinuation, "after \(key): run at (\(run.x), \(run.y))")
        // Applying the runs to the previous screen gives the current one.
      }
      var patched = previous
      for run in current.changes(since: previous) {
        for (k, cell) in run.cells.enumerated() { patched[run.x + k, run.y] = cell }
      }
      #expect(patched.cells == current.cells, "after \(key)")
      previous = current
    }
  }
  /// The ASCII fast path of `put` must cut text into the same glyphs as walking its `Character`s: an ASCII
  /// letter followed by a combining mark, CR LF, a ZWJ emoji or a control must not be taken on its own.
  @Test(arguments: [
    "plain ASCII text", "e\u{301}te\u{301}", "a\r\nb", "x👩\u{200D}💻y", "Chypre, États-Unis", "tab\there",
    "\u{1B}[31mred", "中文 and 한국어", "a\u{FE0F}b", "ends with e\u{301}", "\r\n", "🇫🇷 flag", "a\u{7F}b",
    "z\u{20E3}", String(repeating: "ab", count: 300) + "é",
  ])
  func theAsciiFastPathCutsLikeCharacters(_ text: String) {
    for room in [1, 2, 5, 12, 80, 1000] {
      var reference = Buffer.GlyphRun(room: room)
      for ch in text where !reference.take(Buffer.glyph(ch)) { break }
      let fast = Buffer.fit(text, room: room)
      #expect(fast.glyphs == reference.glyphs, "room \(room)")
      #expect(fast.overflow == reference.overflow, "room \(room)")
    }
  }
}

extension Buffer {
  /// A copy with the given rows filled with a character.
  fileprivate func filled(_ text: String, rows: Range<Int>) -> Buffer {
    var b = self
    b.fill(Rect(x: 0, y: rows.lowerBound, width: size.width, height: rows.count), text)
    return b
  }
}
