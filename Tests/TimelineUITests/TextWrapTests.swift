import Testing
@testable import TimelineUI

/// `TextWrap.wrap` by display width.
@Suite("TextWrap")
struct TextWrapTests {
  @Test func wrapsAtSpaces() {
    #expect(TextWrap.wrap("the quick brown fox", width: 10) == ["the quick", "brown fox"])
    #expect(TextWrap.wrap("", width: 10) == [""])
    #expect(TextWrap.wrap("a  b", width: 10) == ["a b"])
    #expect(TextWrap.wrap("abc", width: 0) == [])
  }

  @Test func countsCJKAsTwoColumns() {
    let lines = TextWrap.wrap("東京で会議 🎉 abc def", width: 6)
    #expect(lines == ["東京で", "会議", "🎉 abc", "def"])
    for line in lines { #expect(DisplayWidth.of(line) <= 6, "\(line)") }
  }

  @Test func neverSplitsAWideCharacter() {
    #expect(TextWrap.wrap("日本語", width: 5) == ["日本", "語"])
    #expect(TextWrap.wrap("日本語テキスト", width: 3) == ["日", "本", "語", "テ", "キ", "ス", "ト"])
    // A line narrower than one wide character: each gets a line of its own (the only overflow).
    #expect(TextWrap.wrap("日本", width: 1) == ["日", "本"])
  }

  @Test(arguments: [5, 8, 13, 20, 31])
  func everyLineFits(_ width: Int) {
    let text = "会議は東京で開かれ、参加者は十二人だった。Zoë Dupré y assiste. Re\u{301}union à Zürich, 🎉🎉🎉 한국어 텍스트 averyveryverylongwordwithoutspaces"
    let lines = TextWrap.wrap(text, width: width)
    for line in lines { #expect(DisplayWidth.of(line) <= width, "\(line)") }
    // Nothing is lost but the spaces where lines break.
    #expect(lines.joined().filter { $0 != " " } == text.filter { $0 != " " })
  }

  @Test func combiningMarksDoNotCount() {
    #expect(TextWrap.wrap("Re\u{301}union a\u{300} Zu\u{308}rich", width: 9) == ["Re\u{301}union a\u{300}", "Zu\u{308}rich"])
  }
}
