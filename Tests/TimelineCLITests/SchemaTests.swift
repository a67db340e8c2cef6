import Foundation
import Testing

/// Checks documents against `Resources/timeline.schema.json` with Python's jsonschema (the JSON Schema
/// dialect the schema declares), and that the program agrees with the schema.
@Suite("JSON schema", .enabled(if: pythonHasJsonschema, "needs python3 with the jsonschema module"))
struct SchemaTests {
  /// Exit 0 when the document at argv[2] is valid against the schema at argv[1]; otherwise exit 1
  /// and print one line per error. The schema itself is checked first.
  static let validator = """
    import json, sys
    import jsonschema
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    with open(sys.argv[2], encoding="utf-8") as f:
        doc = json.load(f)
    errors = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors:
        print("/".join(str(p) for p in e.absolute_path) + ": " + e.message)
    sys.exit(1 if errors else 0)
    """

  func schemaCheck(_ path: String) -> RunResult {
    python3(["-c", Self.validator, Package.schema.path, path])
  }

  @Test("the bundled case follows the schema")
  func bundledCase() {
    let r = schemaCheck(Package.bundledCase.path)
    #expect(r.status == 0, "\(r)")
  }

  @Test("--format json output follows the schema", arguments: [[], ["--country", "CY"], ["--search", "court"]])
  func exportFollowsSchema(_ filters: [String]) throws {
    try withTemporaryDirectory { dir in
      let json = run(["list", "--format", "json"] + filters)
      #expect(json.status == 0, "\(json)")
      let path = try writeFile("export.json", json.stdout, in: dir)
      let r = schemaCheck(path)
      #expect(r.status == 0, "\(r)")
    }
  }

  static let base =
    #""title": "t", "description": "", "sources": [{"id": "S1", "title": "t", "publisher": "p", "date": "2020", "language": "en"}]"#

  static func event(
    _ extra: String = "", date: String = "2020", confidence: String = "confirmed", sources: String = #"["S1"]"#
  ) -> String {
    #"{"id": "e1", "date": "\#(date)", "title": "x", "confidence": "\#(confidence)", "sources": \#(sources)\#(extra)}"#
  }

  /// Documents the schema must reject, and which the program rejects too.
  static let badDocuments: [(String, String)] = [
    ("no events", "{\(base)}"),
    ("unknown top-level field", #"{\#(base), "events": [], "extra": 1}"#),
    ("month 13", "{\(base), \"events\": [\(event(date: "2020-13"))]}"),
    ("unknown confidence", "{\(base), \"events\": [\(event(confidence: "sure"))]}"),
    ("no sources", "{\(base), \"events\": [\(event(sources: "[]"))]}"),
    ("lower-case country", "{\(base), \"events\": [\(event(#", "countries": ["fr"]"#))]}"),
    ("wrong format version", #"{"format": "timeline/2", \#(base), "events": []}"#),
    ("$schema not a string", #"{"$schema": 3, \#(base), "events": []}"#),
    ("id starting with a dash", "{\(base), \"events\": [\(event().replacingOccurrences(of: "\"e1\"", with: "\"-e\""))]}"),
  ]

  @Test("known-bad documents are rejected by the schema and by timeline validate", arguments: badDocuments.map(\.0))
  func badDocumentRejected(_ name: String) throws {
    let doc = Self.badDocuments.first { $0.0 == name }!.1
    try withTemporaryDirectory { dir in
      let path = try writeFile("bad.json", doc, in: dir)
      #expect(try JSONSerialization.jsonObject(with: Data(doc.utf8)) is [String: Any], "the test document must be JSON")
      let schema = schemaCheck(path)
      #expect(schema.status == 1, "schema accepted \(name): \(schema)")
      #expect(!schema.stdout.isEmpty)
      let program = run(["validate", path])
      #expect(program.status == 65, "\(program)")
    }
  }

  @Test("a minimal document with an extension field and a $schema key is accepted by both")
  func goodDocumentAccepted() throws {
    try withTemporaryDirectory { dir in
      let doc = #"{"$schema": "\#(Package.schema.path)", "x-note": "kept", \#(Self.base), "events": [\#(Self.event())]}"#
      let path = try writeFile("ok.json", doc, in: dir)
      let schema = schemaCheck(path)
      #expect(schema.status == 0, "\(schema)")
      let program = run(["validate", path])
      #expect(program.status == 0, "\(program)")
    }
  }
}
