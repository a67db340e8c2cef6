import Testing
import TimelineCore

@Suite("Text folding")
struct FoldingTests {
  @Test(
    "letters fold to lower case without accents; letters that do not decompose are spelled out",
    arguments: [
      ("Łódź", "lodz"), ("Straße", "strasse"), ("ÉTATS-UNIS", "etats-unis"), ("République tchèque", "republique tcheque"),
      ("CHYPRE", "chypre"), ("Œuvre", "oeuvre"), ("Ærø", "aero"), ("Þór", "thor"), ("Đakovo", "dakovo"), ("İzmir", "izmir"),
      ("Søllested", "sollested"), ("Αθήνα", "αθηνα"), ("Москва", "москва"), ("ＡＢＣ１２３", "abc123"),
    ])
  func letters(input: String, folded: String) {
    #expect(TextFolding.folded(input) == folded)
  }

  @Test("text without case or marks is kept as it is: CJK, Hangul, kana, emoji")
  func unchanged() {
    for s in ["東京", "서울", "ひらがな", "🎬", "👍🏽", "👨‍👩‍👧", "中文 123"] {
      #expect(TextFolding.folded(s) == s)
    }
  }

  @Test("typographic spaces, quotes and dashes become their ASCII forms")
  func punctuation() {
    #expect(TextFolding.folded("Quoi\u{202F}?") == "quoi ?")
    #expect(TextFolding.folded("a\u{00A0}b") == "a b")
    #expect(TextFolding.folded("l’affaire") == "l'affaire")
    #expect(TextFolding.folded("«\u{202F}Sparks\u{202F}»") == "\" sparks \"")
    #expect(TextFolding.folded("2020–2022") == "2020-2022")
    #expect(TextFolding.folded("Warez…") == "warez...")
  }

  @Test("combining marks are dropped, so precomposed and decomposed text agree")
  func decomposed() {
    #expect(TextFolding.folded("Re\u{0301}publique") == TextFolding.folded("République"))
  }

  @Test("word starts: \"kor\" starts a word of \"south korea\", \"or\" does not")
  func wordStart() {
    let name = TextFolding.fold("South Korea")
    #expect(TextFolding.containsAtWordStart(name, TextFolding.fold("kor")))
    #expect(!TextFolding.containsAtWordStart(name, TextFolding.fold("or")))
    #expect(TextFolding.containsAtWordStart(TextFolding.fold("Corée du Sud"), TextFolding.fold("coree")))
    #expect(!TextFolding.containsAtWordStart(TextFolding.fold("Cyprus"), TextFolding.fold("us")))
  }
}

@Suite("Terminal safety")
struct TerminalSafetyTests {
  @Test("escape sequences and C0 controls become visible pictures")
  func controls() {
    #expect(TerminalSafety.sanitized("\u{1B}[31mred") == "\u{241B}[31mred")
    #expect(TerminalSafety.sanitized("\u{1B}]0;pwned\u{07}") == "␛]0;pwned␇")
    #expect(TerminalSafety.sanitized("a\nb\tc\rd") == "a␤b␉c␍d")
    #expect(TerminalSafety.sanitized("del\u{7F}") == "del␡")
  }

  @Test("C1 controls and bidirectional overrides become U+FFFD")
  func c1AndBidi() {
    #expect(TerminalSafety.sanitized("\u{9B}31m") == "\u{FFFD}31m")
    #expect(TerminalSafety.sanitized("abc\u{202E}fed") == "abc\u{FFFD}fed")
    #expect(TerminalSafety.sanitized("x\u{2066}y\u{2069}") == "x\u{FFFD}y\u{FFFD}")
    #expect(TerminalSafety.sanitized("line\u{2028}sep") == "line\u{FFFD}sep")
  }

  @Test("accents, CJK, emoji and typographic spaces are kept")
  func keeps() {
    for s in ["Łódź", "République tchèque", "東京 서울", "🎬 👍🏽 👨‍👩‍👧", "Quoi\u{202F}?", "plain ASCII ~!@#"] {
      #expect(TerminalSafety.sanitized(s) == s)
    }
  }

  @Test("nothing unsafe is left, whatever the input")
  func exhaustiveControls() {
    var all = String.UnicodeScalarView()
    for v in 0..<0x2100 as Range<UInt32> { if let s = Unicode.Scalar(v) { all.append(s) } }
    let out = TerminalSafety.sanitized(String(all))
    #expect(!out.unicodeScalars.contains(where: TerminalSafety.isUnsafe))
    #expect(out.unicodeScalars.count == all.count)
  }
}
