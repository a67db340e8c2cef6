import Foundation
import Testing
@testable import TimelineUI

/// The width table against the Unicode data it was generated from, for every code point, and the
/// widths of grapheme clusters in many scripts against what terminals draw.
@Suite("DisplayWidth")
struct DisplayWidthTests {
  /// General_Category and East_Asian_Width of one code point, from the committed UCD 18.0.0 runs.
  struct Properties {
    var category: String
    var eastAsianWidth: String
  }

  static let dataDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Support/UnicodeData")

  /// Every code point's properties, read from `ucd-width-properties.txt` (runs `first..last;gc;eaw`).
  static func properties() throws -> [Properties] {
    let text = try String(contentsOf: dataDirectory.appendingPathComponent("ucd-width-properties.txt"), encoding: .utf8)
    var out: [Properties] = []
    out.reserveCapacity(0x110000)
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
      let fields = line.split(separator: ";")
      let bounds = fields[0].split(separator: ".", omittingEmptySubsequences: true)
      guard fields.count == 3, bounds.count == 2, let lo = Int(bounds[0], radix: 16), let hi = Int(bounds[1], radix: 16),
        lo == out.count, hi >= lo
      else { throw DataError(line: String(line)) }
      out += repeatElement(Properties(category: String(fields[1]), eastAsianWidth: String(fields[2])), count: hi - lo + 1)
    }
    guard out.count == 0x110000 else { throw DataError(line: "the runs end at \(out.count), not 0x110000") }
    return out
  }

  struct DataError: Error, CustomStringConvertible {
    var line: String
    var description: String { "bad line in the Unicode data: \(line)" }
  }

  /// The bases of `FE0F ; emoji style` sequences in emoji-variation-sequences.txt.
  static func emojiStyleBases() throws -> Set<UInt32> {
    let text = try String(contentsOf: dataDirectory.appendingPathComponent("emoji-variation-sequences.txt"), encoding: .utf8)
    var bases: Set<UInt32> = []
    for line in text.split(separator: "\n") {
      let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
      let fields = content.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
      guard fields.count >= 2, fields[1] == "emoji style" else { continue }
      let sequence = fields[0].split(separator: " ")
      if sequence.count == 2, sequence[1] == "FE0F", let base = UInt32(sequence[0], radix: 16) { bases.insert(base) }
    }
    return bases
  }

  /// The policy of `DisplayWidth`, written out again from the Unicode properties (PropList.txt's
  /// Prepended_Concatenation_Mark and DerivedCoreProperties.txt's Default_Ignorable_Code_Point that are
  /// neither Mn nor Cf, which the compact data does not carry).
  static func expectedWidth(_ v: Int, _ p: Properties) -> Int {
    let prependedConcatenationMarks = [0x600...0x605, 0x6DD...0x6DD, 0x70F...0x70F, 0x890...0x891, 0x8E2...0x8E2, 0x110BD...0x110BD, 0x110CD...0x110CD]
    let ignorable = [0x1160...0x1160, 0x2065...0x2065, 0x3164...0x3164, 0xFFA0...0xFFA0, 0xFFF0...0xFFF8, 0xE0000...0xE0000, 0xE0002...0xE001F, 0xE0080...0xE00FF, 0xE01F0...0xE0FFF]
    if (0x1160...0x11FF).contains(v) || (0xD7B0...0xD7FF).contains(v) { return 0 }  // Hangul medial vowels, final consonants
    if p.category == "Mn" || p.category == "Me" { return 0 }
    if p.category == "Cf" && !prependedConcatenationMarks.contains(where: { $0.contains(v) }) { return 0 }
    if ignorable.contains(where: { $0.contains(v) }) { return 0 }
    if (0x1F1E6...0x1F1FF).contains(v) { return 2 }  // regional indicators
    if p.eastAsianWidth == "W" || p.eastAsianWidth == "F" { return 2 }
    return 1
  }

  @Test("the table gives every code point of Unicode 18 the width its properties call for")
  func tableMatchesTheUnicodeData() throws {
    let properties = try Self.properties()
    var checked = 0
    var mismatches: [String] = []
    for v in 0..<0x110000 {
      guard let scalar = Unicode.Scalar(UInt32(v)) else { continue }  // surrogates
      let expected = Self.expectedWidth(v, properties[v])
      let ours = DisplayWidth.of(scalar)
      checked += 1
      if ours != expected && mismatches.count < 20 {
        mismatches.append("U+\(String(v, radix: 16, uppercase: true)) (\(properties[v].category), \(properties[v].eastAsianWidth)): ours \(ours), expected \(expected)")
      }
    }
    #expect(checked == 0x110000 - 0x800)
    #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
  }

  @Test("VS16 widens exactly the one-column bases of emoji-style variation sequences")
  func emojiVariationBasesMatchTheUnicodeData() throws {
    let bases = try Self.emojiStyleBases()
    #expect(bases.count > 300)
    for v in UInt32(0)..<0x110000 {
      guard let scalar = Unicode.Scalar(v) else { continue }
      let expected = bases.contains(v) && DisplayWidth.of(scalar) == 1
      #expect(DisplayWidth.isEmojiVariationBase(scalar) == expected, "U+\(String(v, radix: 16, uppercase: true))")
    }
  }

  /// The committed data is the UCD: where Swift's own copy (another Unicode version) knows a code point
  /// and says it is a mark, a format character or a letter, the data must say so too, except where the
  /// UCD itself changed the category since.
  @Test("the committed Unicode data agrees with Swift's own Unicode tables")
  func dataAgreesWithSwift() throws {
    let properties = try Self.properties()
    var compared = 0
    var differences: [String] = []
    for v in UInt32(0)..<0x110000 {
      guard let scalar = Unicode.Scalar(v), scalar.properties.age != nil else { continue }
      compared += 1
      let swift = Self.code(scalar.properties.generalCategory)
      if swift != properties[Int(v)].category {
        differences.append("U+\(String(v, radix: 16, uppercase: true)) \(swift) -> \(properties[Int(v)].category)")
      }
    }
    #expect(compared > 280_000)
    // Recategorised in Unicode 16 and 17 (spacing marks that were nonspacing and the reverse).
    #expect(differences.count < 40, "\(differences.prefix(60).joined(separator: ", "))")
  }

  static func code(_ c: Unicode.GeneralCategory) -> String {
    switch c {
    case .uppercaseLetter: "Lu"
    case .lowercaseLetter: "Ll"
    case .titlecaseLetter: "Lt"
    case .modifierLetter: "Lm"
    case .otherLetter: "Lo"
    case .nonspacingMark: "Mn"
    case .spacingMark: "Mc"
    case .enclosingMark: "Me"
    case .decimalNumber: "Nd"
    case .letterNumber: "Nl"
    case .otherNumber: "No"
    case .connectorPunctuation: "Pc"
    case .dashPunctuation: "Pd"
    case .openPunctuation: "Ps"
    case .closePunctuation: "Pe"
    case .initialPunctuation: "Pi"
    case .finalPunctuation: "Pf"
    case .otherPunctuation: "Po"
    case .mathSymbol: "Sm"
    case .currencySymbol: "Sc"
    case .modifierSymbol: "Sk"
    case .otherSymbol: "So"
    case .spaceSeparator: "Zs"
    case .lineSeparator: "Zl"
    case .paragraphSeparator: "Zp"
    case .control: "Cc"
    case .format: "Cf"
    case .surrogate: "Cs"
    case .privateUse: "Co"
    case .unassigned: "Cn"
    @unknown default: "?"
    }
  }

  /// Clusters in many scripts and their columns. Expected values are what Python's `wcwidth` 0.9.4
  /// (Unicode 18, grapheme-aware) gives, except the two noted, where our policy takes the other side.
  static let clusters: [(String, String, Int)] = [
    ("Latin", "République", 10), ("combining acute", "Re\u{301}union", 7), ("CJK", "東京", 4),
    ("CJK Ext B", "\u{20000}", 2), ("CJK Ext H", "\u{31350}\u{323AF}", 4), ("CJK Ext I", "\u{2EBF0}", 2),
    ("CJK Ext J", "\u{323B0}", 2), ("Tangut components supplement", "\u{18D80}", 2),
    ("Hangul", "한국어", 6), ("Hangul NFD L+V+T", "\u{1112}\u{1161}\u{11AB}", 2),
    ("Hangul fillers", "\u{115F}\u{1160}\u{3164}\u{FFA0}", 2),
    ("halfwidth katakana + voiced mark", "ｳﾞ", 2), ("Devanagari", "नमस्ते", 4), ("Devanagari ki", "कि", 2),
    ("Devanagari ksha", "क्ष", 2), ("Devanagari stra", "स्त्र", 3), ("Tamil", "தமிழ்", 4), ("Thai", "นำ", 2),
    ("Arabic with a prepended mark", "\u{600}\u{661}\u{662}", 3), ("Hebrew with niqqud", "שָׁלוֹם", 4),
    ("flag", "🇫🇷", 2), ("two flags", "🇺🇸🇯🇵", 4), ("lone regional indicator", "🇦", 2),
    ("family", "👨\u{200D}👩\u{200D}👧\u{200D}👦", 2), ("technologist", "🧑\u{200D}💻", 2),
    ("astronaut with skin tone", "🧑🏽\u{200D}🚀", 2), ("thumbs up with skin tone", "👍🏽", 2),
    ("skin tone after a bracket", "[🏽]", 4), ("rainbow flag", "🏳\u{FE0F}\u{200D}🌈", 2),
    ("heart on fire", "❤\u{FE0F}\u{200D}🔥", 2), ("transgender flag", "🏳\u{FE0F}\u{200D}⚧\u{FE0F}", 2),
    ("England tag flag", "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}", 2),
    ("heart with VS16", "❤\u{FE0F}", 2), ("heart", "❤", 1), ("keycap", "#\u{FE0F}\u{20E3}", 2),
    ("Unicode 15 emoji", "🫨🩷🪿", 6), ("Unicode 16 emoji", "🫩🫟🪉", 6), ("Unicode 17 emoji", "\u{1FAEA}", 2),
    ("Unicode 16 trigram", "\u{2630}", 2), ("circled number on black square", "\u{3248}", 1),
    ("zalgo", "e" + String(repeating: "\u{301}", count: 10), 1), ("leading mark", "\u{301}a", 1),
    ("zero width space", "a\u{200B}b", 2), ("Ahom medial ra", "\u{11700}\u{1171E}", 2),
    // Where we differ from wcwidth, deliberately (see DisplayWidth): wcwidth says 3 and 1.
    ("soft hyphen (not drawn)", "a\u{AD}b", 2), ("CJK with VS15 (kept wide)", "\u{3297}\u{FE0E}", 2),
  ]

  @Test(arguments: clusters)
  func columnsOfClusters(_ name: String, _ text: String, _ columns: Int) {
    #expect(DisplayWidth.of(text) == columns, "\(name)")
    // Drawn, the text takes exactly those columns, and every cluster that takes a column is there whole.
    var b = Buffer(size: Size(width: 40, height: 1))
    #expect(b.put(text, x: 0, y: 0) == columns, "\(name)")
    let expected = String(text.filter { DisplayWidth.of($0) > 0 })
    #expect(b.text.unicodeScalars.elementsEqual(expected.unicodeScalars), "\(name): \(b.text.unicodeScalars.map { String($0.value, radix: 16) })")
  }

  @Test func widthOfStringsAndCharacters() {
    #expect(DisplayWidth.of("République tchèque") == 18)
    #expect(DisplayWidth.of("東京で会議 🎉") == 13)
    #expect(DisplayWidth.of("e\u{301}") == 1)
    #expect(DisplayWidth.of(Character("e\u{301}")) == 1)
    #expect(DisplayWidth.of(Character("🇫🇷")) == 2, "a flag is one two-column glyph")
    #expect(DisplayWidth.of("a\u{1B}b") == 3, "a control character counts as its one-column placeholder")
    #expect(DisplayWidth.of("") == 0)
    #expect(DisplayWidth.of("A" as Unicode.Scalar) == 1)
    #expect(DisplayWidth.of("東" as Unicode.Scalar) == 2)
    #expect(DisplayWidth.of("\u{301}" as Unicode.Scalar) == 0)
  }
}
