import BundledTimeline
import Foundation
import Testing
import TimelineCore

/// The rules of the README's "How the case was checked", and the errors an independent check of the bundled case
/// found, written so that a change to `Resources/sparks-group.json` or `seeds/` that breaks one of them fails here.
enum CaseRules {
  /// What a source is. An official source is an authority's own text (a release, a court record); a relay reproduces
  /// or quotes one and counts as official for what it attributes to it; an outlet reports on its own account.
  enum Kind { case official, relay, outlet }

  /// A source's kind and its origin: relays, copies and translations of one report share that report's origin, so
  /// that ten outlets repeating TorrentFreak count as one.
  struct Standing {
    var kind: Kind
    var origin: String
    init(_ kind: Kind, _ origin: String) {
      self.kind = kind
      self.origin = origin
    }
  }

  /// Every source of the bundled case. A new source must be added here, which forces a decision on what it is.
  static let standing: [String: Standing] = [
    // US Department of Justice (SDNY) and what reproduces or quotes it.
    "S1": .init(.official, "doj"), "S55": .init(.official, "doj"),
    "S6": .init(.relay, "doj"), "S30": .init(.relay, "doj"), "S32": .init(.relay, "doj"), "S34a": .init(.relay, "doj"),
    "S45": .init(.relay, "doj"),
    // Court records, through a case summary.
    "S29": .init(.relay, "court"),
    // Europol and Eurojust.
    "S3": .init(.official, "europol"), "S3b": .init(.relay, "europol"), "S3c": .init(.relay, "europol"),
    "S0b": .init(.relay, "europol"), "S4": .init(.relay, "europol"),
    "S2": .init(.official, "eurojust"), "S2b": .init(.relay, "eurojust"),
    // National authorities: Sweden's PRV is itself a government agency; the others are known through the press.
    "S18": .init(.official, "prv"),
    "S51": .init(.official, "pj"), "S52": .init(.relay, "pj"), "S53": .init(.relay, "pj"), "S54": .init(.relay, "pj"),
    "S21": .init(.relay, "pj"),
    "S14": .init(.relay, "kripos"), "S15": .init(.relay, "kripos"), "S16": .init(.relay, "kripos"),
    "S17": .init(.relay, "soik"), "S19": .init(.relay, "ncoz"), "S20": .init(.relay, "vaud-police"),
    "S58": .init(.relay, "vaud-police"),
    // TorrentFreak, its translations and the outlets that relay its Scene reporting.
    "S5": .init(.outlet, "torrentfreak"), "S9": .init(.outlet, "torrentfreak"), "S33": .init(.outlet, "torrentfreak"),
    "S35b": .init(.outlet, "torrentfreak"), "S36": .init(.outlet, "torrentfreak"), "S37": .init(.outlet, "torrentfreak"),
    "S40": .init(.outlet, "torrentfreak"), "S44": .init(.outlet, "torrentfreak"), "S46": .init(.outlet, "torrentfreak"),
    "S56": .init(.outlet, "torrentfreak"), "S0a": .init(.outlet, "torrentfreak"), "S7": .init(.outlet, "torrentfreak"),
    "S8": .init(.outlet, "torrentfreak"), "S10": .init(.outlet, "torrentfreak"), "S11": .init(.outlet, "torrentfreak"),
    "S12": .init(.outlet, "torrentfreak"), "S23": .init(.outlet, "torrentfreak"), "S28b": .init(.outlet, "torrentfreak"),
    "S47": .init(.outlet, "torrentfreak"), "S48": .init(.outlet, "torrentfreak"),
    // Outlets reporting on their own account.
    "S13": .init(.outlet, "aftenposten"), "S22": .init(.outlet, "tarnkappe"), "S24": .init(.outlet, "arnold-porter"),
    "S26": .init(.outlet, "the-hill"), "S27": .init(.outlet, "actuinfos"), "S31": .init(.outlet, "reuters"),
    "S34b": .init(.outlet, "reuters"), "S35a": .init(.outlet, "reuters"), "S34c": .init(.outlet, "wipr"),
    "S38a": .init(.outlet, "piracy-monitor"), "S38b": .init(.outlet, "piracy-monitor"),
    "S39": .init(.outlet, "komputer-swiat"), "S41": .init(.outlet, "futurezone"), "S42": .init(.outlet, "hcc"),
    "S43": .init(.outlet, "eve"), "S49": .init(.outlet, "confilegal"), "S50": .init(.outlet, "20-minutes"),
    "S57": .init(.outlet, "le-monde"),
  ]

  /// Words about how the data was made: the reader cannot see our working papers.
  static let internalWords = [
    "fact sheet", "fact-sheet", "factsheet", "working note", "fact-check", "factcheck", "sparks-facts", "research/",
    "todo", "should be checked", "to be checked",
  ]

  /// Sentences of the seed articles that earlier versions translated nearly word for word (English), and the French
  /// originals, so that neither comes back.
  static let copiedPhrases = [
    "paralysed to an unprecedented degree", "whole network of groups known as the scene",
    "first-hand accounts hard to verify", "frightened of being arrested", "central role in how the whole",
    "would explain why everything stopped", "worldwide investigation lasting several years",
    "about a dozen platforms disconnected since", "still strongest in northern and eastern europe",
    "bound to form again", "sure to form again", "abruptly stopped putting out releases",
    "several main suspects had been arrested", "pirating films and hosting illegal digital content",
    "biggest anti-piracy operations of the decade", "improved the flow of information between the participating",
    "passed themselves off as retailers", "promised not to sell the discs before the street date",
    "nearly every film from the major us studios", "hard to authenticate",
    "paralysée dans des proportions inédites", "occuper un rôle central dans le fonctionnement",
    "finiront par se reconstituer", "témoignages sont difficiles à authentifier", "rumeurs d'arrestations circulaient",
    "responsable du piratage de films et de l'hébergement",
    "wide cooperation between the police and judicial authorities", "broad cooperation between police and judicial",
  ]

  /// Wordings of errors that were corrected, with what is wrong with them.
  static let corrected: [(phrase: String, why: String)] = [
    ("correa copies them", "all three men allegedly copied the discs"),
    ("correa is said to have copied", "all three men allegedly copied the discs"),
    ("member who copied the discs", "all three men allegedly copied the discs"),
    ("compared the scheme", "Bartlett contrasted the case with $5 bootleg DVDs, he did not compare them"),
    ("70 servers is an outlier", "70 servers is the Portuguese police's own figure"),
    ("cm jornal (portugal) says 70", "70 servers is the Portuguese police's own figure"),
    ("boundaries of the weeks are not given", "TorrentFreak counts Monday-to-Sunday weeks"),
    ("located in that canton", "the server was in canton Vaud, not Geneva"),
    ("without saying which outlet", "Aftenposten carried Kripos's remark"),
    ("spanish officer holding", "no source says the officer in the photo holds the drives"),
    ("stopped releasing after 25 august", "no source says that of every group"),
    ("with input from torrentfreak", "Tarnkappe gives its facts as Eurojust's"),
    ("resident of olathe", "he is a Kansas resident arrested in Olathe"),
    ("correa and bridi were in custody", "they had been arrested; nothing says Correa was held"),
    ("broke the news, followed by", "no source gives the order of the Norwegian outlets"),
    ("ahmad's alleged activity", "Aftenposten's December 2019 sentence is about the group"),
    ("ran until 2022", "the case against Ahmad has no known end"),
    ("ended in 2022", "the case against Ahmad has no known end"),
    ("nationality were not reported", "20 minutes (Switzerland), relaying the Vaud police, gives his age and nationality"),
  ]

  /// Every piece of text in the case, with where it is.
  static func texts(of t: Timeline) -> [(place: String, text: String)] {
    var all: [(String, String)] = [("description", t.description)]
    for e in t.events {
      all.append(("event \(e.id) title", e.title))
      all.append(("event \(e.id) summary", e.summary))
      if let n = e.notes { all.append(("event \(e.id) notes", n)) }
    }
    for p in t.people {
      all.append(("person \(p.id) name", p.name))
      all.append(("person \(p.id) role", p.role))
    }
    for era in t.eras {
      all.append(("era \(era.id) title", era.title))
      if let s = era.summary { all.append(("era \(era.id) summary", s)) }
    }
    for s in t.sources {
      all.append(("source \(s.id) title", s.title))
      if let n = s.notes { all.append(("source \(s.id) notes", n)) }
    }
    return all
  }

  static func folded(_ s: String) -> String {
    s.lowercased().replacingOccurrences(of: "’", with: "'").split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }

  /// What is wrong with one piece of text, wherever it is (the data or a seed record).
  static func wordingProblems(_ text: String, at place: String) -> [String] {
    let f = folded(text)
    var found: [String] = []
    for w in internalWords where f.contains(w) { found.append("\(place): speaks of how the data was made (\"\(w)\")") }
    for p in copiedPhrases where f.contains(p) { found.append("\(place): translates a seed sentence (\"\(p)\")") }
    for c in corrected where f.contains(c.phrase) { found.append("\(place): \"\(c.phrase)\" is wrong: \(c.why)") }
    if f.contains("ahmad"), f.contains(/\bnever\b/) {
      found.append("\(place): \"never\" about Ahmad, whom the sources follow only to November 2021")
    }
    if f.contains("jonathan"), f.contains("the seeds") {
      found.append("\(place): only the 01net seed writes \"Jonathan\"")
    }
    return found
  }

  static func problems(in t: Timeline) -> [String] {
    var found: [String] = []
    let sources = Dictionary(t.sources.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })

    // Sources: each cited one exists, each has an address of its own, and each is classified.
    for e in t.events {
      if e.sources.isEmpty { found.append("event \(e.id) cites no source") }
      for s in e.sources where sources[s] == nil { found.append("event \(e.id) cites unknown source \(s)") }
    }
    var byURL: [String: String] = [:]
    for s in t.sources {
      guard let url = s.url, !url.isEmpty else {
        found.append("source \(s.id) has no address")
        continue
      }
      if let other = byURL[url] { found.append("sources \(other) and \(s.id) have the same address") }
      byURL[url] = s.id
      if standing[s.id] == nil { found.append("source \(s.id) is not classified in CaseRules.standing") }
    }
    for id in standing.keys.sorted() where sources[id] == nil { found.append("CaseRules.standing lists \(id), which the case lacks") }

    // Wording, everywhere.
    for (place, text) in texts(of: t) { found += wordingProblems(text, at: place) }
    if let ahmad = t.people.first(where: { $0.id == "umar-ahmad" }), folded(ahmad.role).contains(/\bnever\b/) {
      found.append("person umar-ahmad role: \"never\" about Ahmad")
    }
    for e in t.events where e.people.contains("umar-ahmad") {
      for text in [e.title, e.summary, e.notes ?? ""] where folded(text).contains(/\bnever\b/) {
        found.append("event \(e.id): \"never\" in an event about Ahmad")
      }
    }

    // One confidence rule for every event; the first source is the one its core fact rests on.
    for e in t.events {
      guard let first = e.sources.first, let lead = standing[first] else { continue }
      let kinds = e.sources.compactMap { standing[$0] }
      let origins = Set(kinds.map(\.origin))
      let officialLead = lead.kind != .outlet
      switch e.confidence {
      case .confirmed:
        if !officialLead, origins.count < 2 {
          found.append("event \(e.id) is confirmed but rests on one origin (\(lead.origin)) and no official source")
        }
      case .reported:
        if officialLead { found.append("event \(e.id) rests on an official source (\(first)) but is marked reported") }
      case .rumoured:
        if kinds.contains(where: { $0.kind != .outlet }) || origins.count > 1 {
          found.append("event \(e.id) is rumoured but has official or independent support")
        }
      case .disputed:
        let notes = folded(e.notes ?? "")
        if !notes.contains("disput") || notes.contains("confirmed") {
          found.append("event \(e.id) is disputed, but its notes do not say its core fact is in dispute")
        }
        if officialLead { found.append("event \(e.id) is disputed, but its core rests on an official source (\(first))") }
      }
    }

    // A note belongs to one event: a sentence repeated in another event's notes is a copy.
    var noteSentences: [String: String] = [:]
    for e in t.events {
      for sentence in (e.notes ?? "").split(separator: ". ").map({ folded(String($0)) }) where sentence.count > 40 {
        if let other = noteSentences[sentence], other != e.id {
          found.append("events \(other) and \(e.id) repeat a note: \"\(sentence)\"")
        }
        noteSentences[sentence] = e.id
      }
    }

    // Corrections that are about structure rather than wording.
    let byID = Dictionary(t.events.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    if let centre = byID["2020-08-25-eurojust-coordination-centre"], !centre.countries.isEmpty {
      found.append("the Eurojust coordination centre has countries \(centre.countries), which no source gives")
    }
    if let us = byID["2020-08-25-us-agencies"], us.tags.contains("arrest") {
      found.append("the US agencies' summary is tagged arrest")
    }
    if let count = byID["2020-08-26-country-count"], !(count.notes ?? "").contains("Europol's own press release") {
      found.append("the country count's notes do not say that Europol's own release counts 18")
    }
    if let sentence = byID["2021-05-19-correa-sentenced"] {
      let notes = sentence.notes ?? ""
      for term in ["three years and three months", "2-1/4 years", "27 months"] where !notes.contains(term) {
        found.append("Correa's sentence does not give the disputed term \"\(term)\" in its notes")
      }
    }
    if let correa = t.people.first(where: { $0.id == "jonatan-correa" }),
      correa.aliases.contains("Jonathan Correa"), !correa.role.contains("misspelling")
    {
      found.append("person jonatan-correa: the alias Jonathan Correa is a misspelling, and the role must say so")
    }
    return found
  }

  /// What is wrong with a seed record (`seeds/*.md`).
  static func problems(inRecord name: String, text: String) -> [String] {
    text.split(separator: "\n").enumerated().flatMap { n, line in wordingProblems(String(line), at: "\(name):\(n + 1)") }
  }
}

@Suite("Bundled case: sources, confidence and wording")
struct CaseRulesTests {
  let t = Fixture.bundled

  @Test("the bundled case keeps every rule")
  func bundledCase() {
    #expect(CaseRules.problems(in: t) == [])
  }

  @Test("the seed records keep the wording rules")
  func seedRecords() throws {
    for record in try SeedRecord.loadAll() {
      let url = Fixture.repositoryRoot.appendingPathComponent("seeds").appendingPathComponent(record.path)
      #expect(CaseRules.problems(inRecord: record.path, text: try String(contentsOf: url, encoding: .utf8)) == [])
    }
  }

  @Test("the README gives the case's real size and does not say the court cases ended")
  func readme() throws {
    let readme = try String(contentsOf: Fixture.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
    #expect(readme.contains("(`Resources/sparks-group.json`, \(t.count) events"))
    for c in CaseRules.corrected where CaseRules.folded(readme).contains(c.phrase) {
      Issue.record("README: \"\(c.phrase)\" is wrong: \(c.why)")
    }
    #expect(!readme.contains("\"Jonathan\" (the seeds)"))
  }

  // MARK: - Each rule catches what it is for

  /// The bundled case with one change made to its JSON, decoded again.
  static func changed(_ change: @Sendable (inout [String: Any]) -> Void) throws -> Timeline {
    var document = try #require(try JSONSerialization.jsonObject(with: Data(BundledTimeline.sparksGroup)) as? [String: Any])
    change(&document)
    let bytes = [UInt8](try JSONSerialization.data(withJSONObject: document))
    return try TimelineDecoder.decode(bytes, fileName: "changed.json")
  }

  /// Changes the element of one of the document's lists ("events", "people", "sources") that has that id.
  static func item(_ list: String, _ id: String, _ change: @escaping @Sendable (inout [String: Any]) -> Void)
    -> @Sendable (inout [String: Any]) -> Void
  {
    { document in
      var items = document[list] as! [[String: Any]]
      let i = items.firstIndex { $0["id"] as? String == id }!
      change(&items[i])
      document[list] = items
    }
  }

  static func event(_ id: String, _ change: @escaping @Sendable (inout [String: Any]) -> Void) -> @Sendable (inout [String: Any]) -> Void {
    item("events", id, change)
  }

  /// A text field of the element of a list that has that id.
  static func text(_ document: [String: Any], _ list: String, _ id: String, _ key: String) -> String {
    (document[list] as! [[String: Any]]).first { $0["id"] as? String == id }![key] as! String
  }

  static func append(_ key: String, _ more: String) -> @Sendable (inout [String: Any]) -> Void {
    { $0[key] = (($0[key] as? String) ?? "") + more }
  }

  struct Breakage: CustomTestStringConvertible, Sendable {
    var name: String
    var expected: String
    var change: @Sendable (inout [String: Any]) -> Void
    var testDescription: String { name }
  }

  static let breakages: [Breakage] = [
    Breakage(name: "a source nobody classified", expected: "S99 is not classified") { document in
      var sources = document["sources"] as! [[String: Any]]
      sources.append(["id": "S99", "title": "A new report", "publisher": "Somebody", "date": "2021", "language": "en",
                      "url": "https://example.org/new-report"])
      document["sources"] = sources
      event("2021-eve-warez-book") { $0["sources"] = ["S43", "S99"] }(&document)
    },
    Breakage(name: "two sources with one address", expected: "have the same address") { document in
      let url = text(document, "sources", "S3", "url")
      item("sources", "S3b") { $0["url"] = url }(&document)
    },
    Breakage(name: "internal working words", expected: "speaks of how the data was made",
             change: event("2020-08-25-spain-servers", append("notes", " The fact sheet says so."))),
    Breakage(name: "\"never\" about Ahmad", expected: "\"never\" about Ahmad",
             change: item("people", "umar-ahmad") { $0["role"] = "Norwegian citizen; alleged key member of the group; never arrested." }),
    Breakage(name: "a disputed event whose notes call its core confirmed", expected: "is disputed") { document in
      event("2021-05-19-correa-sentenced") {
        $0["confidence"] = "disputed"
        $0["notes"] = ($0["notes"] as! String) + " The date and the outcome are confirmed."
      }(&document)
    },
    Breakage(name: "Sweden's official release marked reported", expected: "2020-08-25-sweden-14-locations rests on an official source",
             change: event("2020-08-25-sweden-14-locations") { $0["confidence"] = "reported" }),
    Breakage(name: "Switzerland's relayed police communiqué marked reported",
             expected: "2020-08-25-switzerland-geneva-search rests on an official source",
             change: event("2020-08-25-switzerland-geneva-search") { $0["confidence"] = "reported" }),
    Breakage(name: "Portugal's communiqué marked reported", expected: "2020-08-26-portugal-pj-communique rests on an official source",
             change: event("2020-08-26-portugal-pj-communique") { $0["confidence"] = "reported" }),
    Breakage(name: "a list mostly confirmed by Europol marked rumoured", expected: "is rumoured but has official",
             change: event("2020-08-27-seed-17-country-list") { $0["confidence"] = "rumoured" }),
    Breakage(name: "TorrentFreak's figures, relayed twice, marked confirmed", expected: "rests on one origin (torrentfreak)",
             change: event("2020-09-07-bbc-siliconangle-coverage") { $0["confidence"] = "confirmed" }),
    Breakage(name: "a seed sentence translated", expected: "translates a seed sentence",
             change: event("2020-08-27-01net-scene-paralysed") {
               $0["summary"] = "Beyond Sparks the Scene had been paralysed to an unprecedented degree since Tuesday."
             }),
    Breakage(name: "a corrected error back", expected: "\"compared the scheme\" is wrong",
             change: event("2020-08-26-doj-unseals-charges", append("summary", " Bartlett compared the scheme to bootleg DVDs."))),
    Breakage(name: "a note repeated in another event", expected: "repeat a note") { document in
      let notes = text(document, "events", "2020-08-25-groups-go-silent", "notes")
      event("2020-08-26-groups-in-hiding") { $0["notes"] = notes }(&document)
    },
    Breakage(name: "a country no source gives on the coordination centre", expected: "coordination centre has countries",
             change: event("2020-08-25-eurojust-coordination-centre") { $0["countries"] = ["NL"] }),
    Breakage(name: "the arrest tag back on the US agencies' summary", expected: "tagged arrest",
             change: event("2020-08-25-us-agencies") { $0["tags"] = ["investigation", "arrest"] }),
  ]

  @Test("each rule reports the breakage it is for", arguments: breakages)
  func breakage(_ b: Breakage) throws {
    let problems = CaseRules.problems(in: try Self.changed(b.change))
    #expect(problems.contains { $0.contains(b.expected) }, "\(problems)")
  }

  @Test("an event without sources, or citing a source the case lacks, is refused when the file is read")
  func missingSources() {
    #expect(throws: DecodeFailure.self) { _ = try Self.changed(Self.event("2020-08-25-action-day") { $0["sources"] = [String]() }) }
    #expect(throws: DecodeFailure.self) { _ = try Self.changed(Self.event("2020-08-25-action-day") { $0["sources"] = ["S404"] }) }
  }

  @Test("a seed record that copies a sentence or says \"never\" about Ahmad is caught")
  func seedRecordBreakage() {
    let copy = "12. Beyond Sparks the Scene was paralysed to an unprecedented degree. Events: `x`"
    #expect(CaseRules.problems(inRecord: "000-01net.md", text: copy).contains { $0.contains("translates a seed sentence") })
    let never = "3. The main members were said to be in custody (in fact Umar Ahmad was never arrested). Events: `x`"
    #expect(CaseRules.problems(inRecord: "000-01net.md", text: never).contains { $0.contains("\"never\" about Ahmad") })
  }
}
