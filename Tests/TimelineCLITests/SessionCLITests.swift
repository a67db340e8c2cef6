import Foundation
import Testing
import TimelineCore

@Suite("list --marked and --session")
struct SessionCLITests {
  /// A copy of the bundled case and a state directory, with a session saved as the explorer would.
  static func withSession(_ body: (_ data: String, _ env: [String: String], _ store: SessionStore) throws -> Void) throws {
    try withTemporaryDirectory { dir in
      let data = dir.appendingPathComponent("case.json").path
      try FileManager.default.copyItem(atPath: Package.bundledCase.path, toPath: data)
      let state = dir.appendingPathComponent("state").path
      let store = SessionStore(directory: StateDirectory(path: state + "/timeline"), dataFile: data)
      try body(data, ["XDG_STATE_HOME": state], store)
    }
  }

  static func markedSession() -> Session {
    var s = Session()
    s.annotations.setMarked("2020-08-25-correa-arrested", true)
    s.annotations.setMarked("2021-05-19-correa-sentenced", true)
    s.annotations.setMarked("no-longer-there", true)
    s.annotations.setNote("2021-05-19-correa-sentenced", "Compare with the docket.")
    return s
  }

  @Test("--marked prints the marked events, says which marks have no event, and combines with filters")
  func marked() throws {
    try Self.withSession { data, env, store in
      try store.save(Self.markedSession())
      let r = run(["list", "--data", data, "--marked", "--format", "csv"], env: env)
      #expect(r.status == 0, "\(r)")
      let lines = r.stdout.split(separator: "\r\n")
      let ids = lines.dropFirst().map { String($0.prefix { $0 != "," }) }
      #expect(ids == ["2020-08-25-correa-arrested", "2021-05-19-correa-sentenced"])
      #expect(lines.first?.hasSuffix(",marked,user_note") == true)
      #expect(lines.last?.hasSuffix(",yes,Compare with the docket.") == true)
      #expect(r.stderr == "timeline: 1 marked event is no longer in the file: no-longer-there\n")

      let both = run(["list", "--data", data, "--marked", "--search", "sentenced", "--count"], env: env)
      #expect(both.stdout == "1\n", "\(both)")
    }
  }

  @Test("--session applies the saved filters, the search when it filters, and marked-only")
  func session() throws {
    try Self.withSession { data, env, store in
      var s = Self.markedSession()
      s.setQuery(Query(countries: ["US"]), searchFilters: false)
      try store.save(s)
      let us = run(["list", "--data", data, "--country", "US"], env: env)
      let restored = run(["list", "--data", data, "--session"], env: env)
      #expect(restored.status == 0, "\(restored)")
      #expect(restored.stdout == us.stdout)
      #expect(!restored.stdout.isEmpty)

      // A search that only highlighted does not filter; one that filtered does.
      s.setQuery(Query(countries: ["US"], text: "correa"), searchFilters: false)
      try store.save(s)
      #expect(run(["list", "--data", data, "--session"], env: env).stdout == us.stdout)
      s.setQuery(Query(countries: ["US"], text: "correa"), searchFilters: true)
      try store.save(s)
      #expect(
        run(["list", "--data", data, "--session"], env: env).stdout
          == run(["list", "--data", data, "--country", "US", "--search", "correa"], env: env).stdout)

      s.markedOnly = true
      try store.save(s)
      let json = run(["list", "--data", data, "--session", "--format", "json"], env: env)
      #expect(json.status == 0, "\(json)")
      #expect(json.stdout.components(separatedBy: "\"x-marked\": true").count == 3)
      #expect(json.stdout.contains("\"x-user-note\": \"Compare with the docket.\""))
      // The export opens again.
      let back = try writeFile("back.json", json.stdout, in: URL(fileURLWithPath: data).deletingLastPathComponent())
      #expect(run(["list", "--data", back, "--count"]).stdout == "2\n")
    }
  }

  @Test("no session yet: said on standard error, nothing marked")
  func noSession() throws {
    try Self.withSession { data, env, _ in
      let r = run(["list", "--data", data, "--marked"], env: env)
      #expect(r.status == 0, "\(r)")
      #expect(r.stdout == "")
      #expect(r.stderr.contains("no session for \(data) yet"))
    }
  }

  @Test("a corrupt session: exit 65 naming the file, and the file is left as it was")
  func corrupt() throws {
    try Self.withSession { data, env, store in
      try AtomicFile.makeDirectory(AtomicFile.parent(of: store.path))
      try "{\"version\": 1, \"marks".write(toFile: store.path, atomically: false, encoding: .utf8)
      let r = run(["list", "--data", data, "--session"], env: env)
      #expect(r.status == 65, "\(r)")
      #expect(r.stderr.contains("the session file \(store.path) is corrupt"))
      #expect(try String(contentsOfFile: store.path, encoding: .utf8) == "{\"version\": 1, \"marks")
    }
  }
}
