/// How sure the sources are about an event.
///
/// The order is from most to least certain; `disputed` marks events whose central fact the sources
/// disagree on (the notes say how).
public enum Confidence: UInt8, CaseIterable, Sendable, Comparable, CustomStringConvertible {
  case confirmed, reported, rumoured, disputed

  public var description: String { name }

  /// The word used in files and on screen.
  public var name: String {
    switch self {
    case .confirmed: "confirmed"
    case .reported: "reported"
    case .rumoured: "rumoured"
    case .disputed: "disputed"
    }
  }

  /// A one-character mark for lists, chosen to be distinct without colour.
  public var mark: Character {
    switch self {
    case .confirmed: "●"
    case .reported: "○"
    case .rumoured: "?"
    case .disputed: "!"
    }
  }

  public init?(name: String) {
    guard let c = Self.allCases.first(where: { $0.name == name }) else { return nil }
    self = c
  }

  public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}
