import Glibc
import Testing
@testable import TimelineUI

/// `DisplayWidth` against glibc's `wcwidth` under C.UTF-8: the function ncursesw uses to place
/// characters, so the buffer and the terminal must agree with it.
@Suite("DisplayWidth", .serialized)
struct DisplayWidthTests {
  /// glibc's width for a scalar; -1 for non-printable characters.
  static func wcwidthC(_ v: UInt32) -> Int {
    Int(wcwidthFunction(wchar_t(bitPattern: v)))
  }

  /// `wcwidth` itself. It is an X/Open function that Swift's Glibc module does not import, so it is
  /// looked up in the C library already loaded, after switching LC_CTYPE to C.UTF-8 (without a UTF-8
  /// locale wcwidth answers -1 for everything past ASCII).
  static let wcwidthFunction: @convention(c) (wchar_t) -> Int32 = {
    setlocale(LC_CTYPE, "C.UTF-8")
    guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "wcwidth") else {
      fatalError("wcwidth not found in the C library")
    }
    return unsafeBitCast(symbol, to: (@convention(c) (wchar_t) -> Int32).self)
  }()

  static let locale: Bool = {
    _ = wcwidthFunction
    return String(cString: setlocale(LC_CTYPE, nil)).uppercased().contains("UTF")
  }()

  static let samples: [(String, UInt32)] = [
    ("Latin A", 0x41), ("tilde", 0x7E), ("e acute", 0xE9), ("o diaeresis", 0xF6), ("Latin Extended-A", 0x153),
    ("Latin Extended-B", 0x1C6), ("Greek", 0x3A9), ("Cyrillic", 0x416), ("Hebrew", 0x5D0), ("Arabic", 0x627),
    ("Devanagari", 0x915), ("Thai", 0xE01),
    ("CJK 東", 0x6771), ("CJK 一", 0x4E00), ("CJK last", 0x9FFF), ("CJK Ext B", 0x20000), ("hiragana", 0x3042),
    ("katakana", 0x30AB), ("ideographic space", 0x3000), ("fullwidth !", 0xFF01), ("halfwidth katakana", 0xFF76),
    ("Hangul 가", 0xAC00), ("Hangul 힣", 0xD7A3), ("Hangul jamo initial", 0x1100), ("Hangul jamo medial", 0x1160),
    ("emoji 🎉", 0x1F389), ("emoji 😀", 0x1F600), ("emoji 🚀", 0x1F680), ("emoji ⌚", 0x231A), ("heart ❤", 0x2764),
    ("regional indicator", 0x1F1EB), ("skin tone", 0x1F3FB),
    ("combining acute", 0x301), ("combining diaeresis", 0x308), ("combining enclosing circle", 0x20DD),
    ("Hebrew point", 0x5B4), ("Devanagari sign", 0x93C), ("zero width joiner", 0x200D), ("zero width space", 0x200B),
    ("variation selector 16", 0xFE0F), ("combining half mark", 0xFE20),
    ("box drawing", 0x2500), ("ellipsis", 0x2026), ("black triangle", 0x25B2), ("spark block", 0x2585),
    ("symbol for escape", 0x241B), ("replacement character", 0xFFFD),
  ]

  @Test func localeIsAvailable() {
    #expect(Self.locale, "setlocale(LC_CTYPE, \"C.UTF-8\") failed")
  }

  @Test(arguments: samples)
  func agreesWithWcwidth(_ name: String, _ value: UInt32) throws {
    let scalar = try #require(Unicode.Scalar(value))
    let expected = Self.wcwidthC(value)
    #expect(expected >= 0, "\(name) is printable")
    #expect(DisplayWidth.of(scalar) == expected, "\(name) U+\(String(value, radix: 16, uppercase: true))")
  }

  @Test func expectedWidthsOfTheSamples() {
    #expect(DisplayWidth.of("A" as Unicode.Scalar) == 1)
    #expect(DisplayWidth.of("é" as Unicode.Scalar) == 1)
    #expect(DisplayWidth.of("東" as Unicode.Scalar) == 2)
    #expect(DisplayWidth.of("가" as Unicode.Scalar) == 2)
    #expect(DisplayWidth.of("🎉" as Unicode.Scalar) == 2)
    #expect(DisplayWidth.of("\u{301}" as Unicode.Scalar) == 0)
  }

  /// The whole generated table, not just the samples: every printable scalar.
  @Test func agreesWithWcwidthEverywhere() {
    var mismatches: [String] = []
    for v in UInt32(0x20)...0x10FFFF {
      guard let scalar = Unicode.Scalar(v) else { continue }
      let c = Self.wcwidthC(v)
      guard c >= 0 else { continue }  // not printable: drawn as a placeholder or one column
      let ours = DisplayWidth.of(scalar)
      if ours != c && mismatches.count < 20 { mismatches.append("U+\(String(v, radix: 16, uppercase: true)): ours \(ours), wcwidth \(c)") }
    }
    #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
  }

  @Test func widthOfStringsAndCharacters() {
    #expect(DisplayWidth.of("République tchèque") == 18)
    #expect(DisplayWidth.of("東京で会議 🎉") == 13)
    #expect(DisplayWidth.of("e\u{301}") == 1)
    #expect(DisplayWidth.of(Character("e\u{301}")) == 1)
    #expect(DisplayWidth.of(Character("🇫🇷")) == 1, "a flag is two regional indicators, each one column for wcwidth")
    #expect(DisplayWidth.of("a\u{1B}b") == 3, "a control character counts as its one-column placeholder")
    #expect(DisplayWidth.of("") == 0)
  }
}
