import Foundation
import Testing

@testable import TimelineCore

/// The schema is written once (`Schema.swift`); these tests keep what is derived from it or written
/// beside it in step: the fast parser's eight-byte key constants and the JSON Schema file.
@Suite("one schema")
struct SchemaTableTests {
  /// `bytes` followed by 16 bytes of `fill`, as a key would sit in a document.
  static func withPadding(_ bytes: [UInt8], _ fill: UInt8) -> [UInt8] { bytes + [UInt8](repeating: fill, count: 16) }

  @Test("each event key's eight-byte constant matches its name from the table, with its closing quote")
  func keyConstantsFollowTheTable() {
    for field in EventField.allCases {
      let key = Array(field.name.utf8) + [UInt8(ascii: "\"")]
      for fill in [0x00, 0x20, 0x22, 0x3A, 0xFF] as [UInt8] {
        let (bit, length) = Self.withPadding(key, fill).withUnsafeBufferPointer { EventField.keyBits($0.baseAddress!) }
        #expect(bit == field.bit, "\(field.name) (after it: \(fill))")
        #expect(length == key.count, "\(field.name)")
      }
      #expect(Array(field.name.utf8).withUnsafeBufferPointer { EventField.named($0) } == field)
    }
  }

  @Test("no other key matches: a letter changed, one missing or added, another case, a prefix")
  func nearKeysDoNotMatch() {
    var near: [String] = []
    for field in EventField.allCases {
      let name = field.name
      near.append(String(name.dropLast()))
      near.append(name + "s")
      near.append(name + "_")
      near.append(name.uppercased())
      near.append(String(name.dropFirst()))
      for k in 0..<name.count {
        var chars = Array(name)
        chars[k] = chars[k] == "z" ? "y" : "z"
        near.append(String(chars))
      }
    }
    let names = Set(EventField.names)
    for key in near where !names.contains(key) {
      let quoted = Array(key.utf8) + [UInt8(ascii: "\"")]
      let (bit, _) = Self.withPadding(quoted, 0x22).withUnsafeBufferPointer { EventField.keyBits($0.baseAddress!) }
      #expect(bit == 0, "\"\(key)\" was taken for a field")
      #expect(Array(key.utf8).withUnsafeBufferPointer { EventField.named($0) } == nil, "\"\(key)\"")
    }
  }

  @Test("the key table gives each field its own slot, and the parser's extension index follows the fields")
  func keyTableSlots() {
    let table = EventField.keyTable
    var codes: [Int32] = []
    for s in 0..<32 where table[s].code != 0 { codes.append(table[s].code) }
    #expect(codes.sorted() == EventField.allCases.map { Int32($0.rawValue + 1) })
    for field in EventField.allCases {
      let key = Array(field.name.utf8) + [UInt8(ascii: "\"")]
      let low = key.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << ($1.offset * 8) }
      #expect(table[EventField.slot(low)].code == Int32(field.rawValue + 1), "\(field.name)")
    }
    #expect(FastEventParser.extensionKey == EventField.allCases.count)
  }

  @Test("a key that hashes to a field's slot but differs from it in any byte is not taken")
  func keysInTheSameSlotDoNotMatch() {
    // Random keys of 1 to 11 bytes; whatever slot they fall in, only an exact field name matches (a
    // quote inside ends the key there, as in a document).
    var generator = SplitMix64(seed: 21)
    let letters = Array("abcdefghijklmnopqrstuvwxyz_-\"".utf8)
    let names = Set(EventField.names)
    for _ in 0..<20_000 {
      let length = Int.random(in: 1...11, using: &generator)
      let key = (0..<length).map { _ in letters.randomElement(using: &generator)! }
      let quoted = key + [UInt8(ascii: "\"")]
      let (bit, length2) = Self.withPadding(quoted, 0x22).withUnsafeBufferPointer { EventField.keyBits($0.baseAddress!) }
      let name = String(decoding: quoted.prefix { $0 != UInt8(ascii: "\"") }, as: UTF8.self)
      if names.contains(name) {
        #expect(bit == EventField.allCases.first { $0.name == name }!.bit && length2 == name.utf8.count + 1)
      } else {
        #expect(bit == 0, "\"\(name)\" was taken for a field")
      }
    }
    // Every field name with one byte changed, at each place, to every letter: the same slot often.
    for field in EventField.allCases {
      let name = Array(field.name.utf8) + [UInt8(ascii: "\"")]
      for i in 0..<name.count {
        for b in letters where b != name[i] {
          var changed = name
          changed[i] = b
          let (bit, _) = Self.withPadding(changed, 0x22).withUnsafeBufferPointer { EventField.keyBits($0.baseAddress!) }
          if bit != 0 {
            let quoteAt = changed.firstIndex(of: UInt8(ascii: "\""))!
            #expect(names.contains(String(decoding: changed[..<quoteAt], as: UTF8.self)), "\(changed)")
          }
        }
      }
    }
  }

  @Test("the required bits are the table's required fields")
  func requiredBits() {
    let expected = EventField.id.bit | EventField.date.bit | EventField.title.bit | EventField.confidence.bit | EventField.sources.bit
    #expect(EventField.requiredBits == expected)
    #expect(Set(EventField.requiredNames) == ["id", "date", "title", "confidence", "sources"])
  }

  /// The JSON Schema shipped in `Resources/`.
  static func jsonSchema() throws -> [String: Any] {
    let url = Fixture.repositoryRoot.appendingPathComponent("Resources/timeline.schema.json")
    return try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
  }

  static func fieldsAndRequired(_ object: [String: Any]) -> (Set<String>, Set<String>) {
    let properties = Set(((object["properties"] as? [String: Any]) ?? [:]).keys)
    let required = Set((object["required"] as? [String]) ?? [])
    return (properties, required)
  }

  static func check<F: SchemaField>(_ table: F.Type, _ object: [String: Any]?, _ what: String) {
    guard let object else {
      Issue.record("the JSON Schema has no \(what)")
      return
    }
    let (properties, required) = fieldsAndRequired(object)
    #expect(properties == Set(F.names), "\(what): fields")
    #expect(required == Set(F.requiredNames), "\(what): required fields")
  }

  @Test("Resources/timeline.schema.json lists the same fields, and the same required ones, as the tables")
  func jsonSchemaFile() throws {
    let schema = try Self.jsonSchema()
    Self.check(DocumentField.self, schema, "document")
    let properties = try #require(schema["properties"] as? [String: Any])
    func items(_ key: String) -> [String: Any]? { (properties[key] as? [String: Any])?["items"] as? [String: Any] }
    Self.check(EventField.self, items("events"), "event")
    Self.check(SourceField.self, items("sources"), "source")
    Self.check(PersonField.self, items("people"), "person")
    Self.check(EraField.self, items("eras"), "era")
    let countries = (properties["countries"] as? [String: Any])?["additionalProperties"] as? [String: Any]
    Self.check(CountryField.self, countries, "country declaration")
  }

  @Test("the JSON Schema's date pattern accepts exactly what the date parser accepts", arguments: [
    "2020", "2020-08", "2020-08-25", "2020-08-25T14:30", "2020-08-25T14:30~", "-0044-03-15", "850", "999999", "-13800000000",
    "20000000000~", "2020-8", "2020-08-25T24:00", "2020-08-25T9:00", "123456789012", "2020-08T10:00", "", "2020-13",
    "2020-02-30", "40000000000",
  ])
  func datePattern(_ date: String) throws {
    let schema = try Self.jsonSchema()
    let defs = try #require(schema["$defs"] as? [String: Any])
    let pattern = try #require((defs["date"] as? [String: Any])?["pattern"] as? String)
    let regex = try NSRegularExpression(pattern: pattern)
    let matches = regex.firstMatch(in: date, range: NSRange(date.startIndex..., in: date)) != nil
    // The pattern cannot know month lengths or the year's bounds: 2020-02-30 and 40000000000 match it, and
    // the parser says why they are wrong.
    let parses: Bool
    switch TimelineDate.parse(date) {
    case .success: parses = true
    case .failure(.dayOutOfRange): parses = true
    case .failure(.yearOutOfRange): parses = date.filter(\.isNumber).count <= 11
    case .failure: parses = false
    }
    #expect(matches == parses, "\"\(date)\": pattern \(matches), parser \(parses)")
  }
}
