/// Country names for ISO 3166-1 alpha-2 codes, in English and French, with the aliases people type.
///
/// Codes are kept as a *slot*: a number in `0..<676` computed from the two letters, so the decoder turns
/// `"FR"` into a small integer without hashing or allocating, and indexes can be plain arrays.
/// A timeline file may add codes or rename existing ones (`"countries"` in the file); that gives a new
/// table, the built-in one never changes.
public struct CountryTable: Sendable {
  public struct Country: Hashable, Sendable {
    public var code: String
    /// English short name.
    public var name: String
    /// French name, when known.
    public var nameFR: String?
    public var aliases: [String]

    public init(code: String, name: String, nameFR: String? = nil, aliases: [String] = []) {
      self.code = code
      self.name = name
      self.nameFR = nameFR
      self.aliases = aliases
    }

    /// Every name this country answers to, the code first.
    public var allNames: [String] { [code, name] + (nameFR.map { [$0] } ?? []) + aliases }
  }

  /// The number of possible two-letter codes.
  public static let slotCount = 26 * 26

  private var countriesBySlot: [Country?]

  /// The slot of a two-letter upper-case code, or nil when the bytes are not two letters A–Z.
  @inline(__always)
  public static func slot(_ a: UInt8, _ b: UInt8) -> Int? {
    guard a >= 65, a <= 90, b >= 65, b <= 90 else { return nil }
    return Int(a - 65) * 26 + Int(b - 65)
  }

  public static func slot(of code: String) -> Int? {
    let u = Array(code.utf8)
    return u.count == 2 ? slot(u[0], u[1]) : nil
  }

  public static func code(ofSlot slot: Int) -> String {
    String(decoding: [UInt8(65 + slot / 26), UInt8(65 + slot % 26)], as: UTF8.self)
  }

  public init(countries: [Country]) {
    countriesBySlot = Array(repeating: nil, count: Self.slotCount)
    for c in countries {
      if let s = Self.slot(of: c.code) { countriesBySlot[s] = c }
    }
  }

  /// The built-in table: every officially assigned ISO 3166-1 alpha-2 code.
  ///
  /// Split on bytes, not `Character`s: every command builds this table, and splitting 20 kB of accented
  /// text by grapheme cluster cost about 4 ms of `timeline list --count`'s 20 ms on the bundled data.
  public static let builtIn: CountryTable = {
    var list: [Country] = []
    list.reserveCapacity(250)
    func text(_ bytes: Substring.UTF8View.SubSequence) -> String { String(decoding: bytes, as: UTF8.self) }
    for line in builtInData.utf8.split(separator: UInt8(ascii: "\n")) {
      let f = line.split(separator: UInt8(ascii: "|"), omittingEmptySubsequences: false)
      guard f.count == 4 else { preconditionFailure("malformed built-in country line: \(text(line))") }
      let aliases = f[3].split(separator: UInt8(ascii: ";")).map(text)
      list.append(Country(code: text(f[0]), name: text(f[1]), nameFR: f[2].isEmpty ? nil : text(f[2]), aliases: aliases))
    }
    return CountryTable(countries: list)
  }()

  public subscript(slot slot: Int) -> Country? { countriesBySlot[slot] }

  public subscript(code code: String) -> Country? { Self.slot(of: code).flatMap { countriesBySlot[$0] } }

  public func contains(slot: Int) -> Bool { countriesBySlot[slot] != nil }

  /// All known countries in code order.
  public var all: [Country] { countriesBySlot.compactMap { $0 } }

  /// A copy with the given countries added, or replacing the names of codes that exist.
  public func merging(_ overrides: [Country]) -> CountryTable {
    var copy = self
    for c in overrides {
      if let s = Self.slot(of: c.code) { copy.countriesBySlot[s] = c }
    }
    return copy
  }

  /// The display name of a code: its English name, or the code itself when unknown.
  public func name(of code: String) -> String { self[code: code]?.name ?? code }
}
