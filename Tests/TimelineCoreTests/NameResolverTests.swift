import Testing
import TimelineCore

@Suite("Name resolution")
struct NameResolverTests {
  @Test(
    "countries by code, English name, French name and alias, in any case and with or without accents",
    arguments: [
      ("FR", "FR"), ("fr", "FR"), ("France", "FR"), ("  france ", "FR"),
      ("Chypre", "CY"), ("Cyprus", "CY"), ("CY", "CY"), ("chypre", "CY"),
      ("États-Unis", "US"), ("etats-unis", "US"), ("ETATS-UNIS", "US"), ("USA", "US"), ("United States", "US"), ("us", "US"),
      ("Corée du Sud", "KR"), ("coree du sud", "KR"), ("South Korea", "KR"), ("Korea", "KR"), ("KR", "KR"),
      ("République tchèque", "CZ"), ("republique tcheque", "CZ"), ("Czechia", "CZ"), ("Czech Republic", "CZ"),
      ("Royaume-Uni", "GB"), ("UK", "GB"), ("United Kingdom", "GB"), ("GB", "GB"),
      ("Norvège", "NO"), ("Allemagne", "DE"), ("Pologne", "PL"),
    ])
  func country(input: String, code: String) throws {
    #expect(try NameResolver.country(input, in: .builtIn).code == code)
  }

  @Test("a unique word start is enough: \"rep tcheque\", \"tchequ\"")
  func countryWordStart() throws {
    #expect(try NameResolver.country("rep tcheque", in: .builtIn).code == "CZ")
    #expect(try NameResolver.country("tchequ", in: .builtIn).code == "CZ")
  }

  @Test("an ambiguous country name lists the candidates")
  func ambiguousCountry() {
    do {
      let c = try NameResolver.country("south", in: .builtIn)
      Issue.record("\"south\" resolved to \(c.code)")
    } catch {
      #expect(error.kind == .ambiguous)
      #expect(error.suggestions.contains("South Korea (KR)"))
      #expect(error.suggestions.contains("South Africa (ZA)"))
      #expect(error.suggestions.contains("South Sudan (SS)"))
      #expect(error.description.hasPrefix("\"south\" could be several countries: \""))
      #expect(error.description.hasSuffix("; say which"))
    }
  }

  @Test("an unknown country suggests the closest names")
  func unknownCountry() {
    do {
      let c = try NameResolver.country("Frnace", in: .builtIn)
      Issue.record("\"Frnace\" resolved to \(c.code)")
    } catch {
      #expect(error.kind == .unknown)
      #expect(error.suggestions.first == "France (FR)")
      #expect(error.description.hasPrefix(#"unknown country "Frnace"; did you mean "France (FR)""#))
    }
    do {
      _ = try NameResolver.country("Atlantis", in: .builtIn)
      Issue.record("\"Atlantis\" resolved")
    } catch {
      #expect(error.kind == .unknown)
    }
  }

  @Test("a code the file declares resolves, by code and by name")
  func declaredCountry() throws {
    let table = CountryTable.builtIn.merging([CountryTable.Country(code: "EU", name: "European Union", nameFR: "Union européenne")])
    #expect(try NameResolver.country("EU", in: table).code == "EU")
    #expect(try NameResolver.country("union europeenne", in: table).code == "EU")
  }

  /// "EU" is no ISO code; the built-in table has no European Union. Typed as a country (`--country EU`),
  /// it should be refused, not resolved to Caribbean Netherlands because one of its aliases holds the
  /// word "Eustatius".
  @Test("a two-letter input that is not a code is refused, not matched to the start of a word in a name")
  func twoLetterNonCode() {
    #expect(throws: NameResolver.Failure.self) { try NameResolver.country("EU", in: .builtIn) }
  }

  @Test(
    "people by id, name, alias and unique word start",
    arguments: [
      ("jonatan-correa", "jonatan-correa"), ("Jonatan Correa", "jonatan-correa"), ("jonatan correa", "jonatan-correa"),
      ("Jonathan Correa", "jonatan-correa"), ("Raid", "jonatan-correa"), ("raid", "jonatan-correa"), ("correa", "jonatan-correa"),
      ("Artist", "umar-ahmad"), ("the artist", "umar-ahmad"), ("Umar Ahmad", "umar-ahmad"), ("ahmad", "umar-ahmad"),
      ("George Bridi", "george-bridi"), ("bridi", "george-bridi"), ("Berman", "richard-m-berman"),
    ])
  func person(input: String, id: String) throws {
    let people = Fixture.bundled.people
    #expect(people[try NameResolver.person(input, in: people)].id == id)
  }

  @Test("people of a hand-made timeline")
  func fixturePeople() throws {
    let t = try Fixture.caseTimeline()
    #expect(t.people[try NameResolver.person("RAID", in: t.people)].id == "jonatan-correa")
    #expect(t.people[try NameResolver.person("artist", in: t.people)].id == "umar-ahmad")
  }

  @Test("an unknown person suggests the closest names")
  func unknownPerson() {
    let people = Fixture.bundled.people
    do {
      let i = try NameResolver.person("Jonatan Corea", in: people)
      Issue.record("\"Jonatan Corea\" resolved to \(people[i].id)")
    } catch {
      #expect(error.kind == .unknown)
      #expect(error.suggestions.first == "Jonatan Correa")
      #expect(error.description.hasPrefix(#"unknown person "Jonatan Corea"; did you mean "Jonatan Correa""#))
    }
    do {
      _ = try NameResolver.person("Zorro", in: people)
      Issue.record("\"Zorro\" resolved")
    } catch {
      #expect(error.kind == .unknown)
      #expect(error.description == #"unknown person "Zorro""#)
    }
  }

  @Test("a misspelt person is suggested once, whatever spellings match (the review's B12)")
  func personSuggestedOnce() {
    let people = Fixture.bundled.people
    for (input, expected) in [("Jonatan Corea", "Jonatan Correa"), ("Bridy", "George Bridi"), ("Corea", "Jonatan Correa")] {
      do {
        _ = try NameResolver.person(input, in: people)
        Issue.record("\"\(input)\" resolved")
      } catch {
        #expect(error.suggestions.first == expected, "\(input): \(error.suggestions)")
        #expect(error.suggestions.filter { $0 == expected }.count == 1, "\(input): \(error.suggestions)")
        #expect(!error.suggestions.contains { $0.contains("(") || $0.contains("-") }, "names, not ids or aliases: \(error.suggestions)")
      }
    }
  }

  @Test("tags, confidence, eras and sources resolve by name and suggest the closest")
  func otherFacets() throws {
    let t = Fixture.bundled
    #expect(try NameResolver.value(.tag, "RAID", in: t) == "raid")
    #expect(try NameResolver.value(.confidence, "rumoured", in: t) == "rumoured")
    #expect(try NameResolver.value(.confidence, "disp", in: t) == "disputed")
    #expect(try NameResolver.value(.era, "action-week", in: t) == "action-week")
    #expect(try NameResolver.value(.era, "the action week", in: t) == "action-week")
    #expect(try NameResolver.value(.source, "europol", in: t) == "Europol")
    // A source's id names its publisher.
    let id = try #require(t.sources.first { $0.publisher == "Eurojust" }?.id)
    #expect(try NameResolver.value(.source, id, in: t) == "Eurojust")
    for (facet, input, suggestion) in [(Facet.tag, "raidd", "raid"), (.confidence, "confirmd", "confirmed"), (.era, "The cort cases", "The court cases"), (.source, "Europl", "Europol")] {
      do {
        let v = try NameResolver.value(facet, input, in: t)
        Issue.record("\(input) resolved to \(v)")
      } catch {
        #expect(error.kind == .unknown, "\(input)")
        #expect(error.suggestions.first == suggestion, "\(input): \(error.suggestions)")
      }
    }
  }

  @Test("an ambiguous person lists the candidates")
  func ambiguousPerson() {
    let people = [Person(id: "a", name: "Anna Berg", role: "r"), Person(id: "b", name: "Anna Lind", role: "r")]
    do {
      _ = try NameResolver.person("anna", in: people)
      Issue.record("\"anna\" resolved")
    } catch {
      #expect(error.kind == .ambiguous)
      #expect(error.description == #""anna" could be several people: "Anna Berg (a)" or "Anna Lind (b)"; say which"#)
    }
  }

  @Test("names shown in messages are made safe for the terminal")
  func unsafeInput() {
    do {
      _ = try NameResolver.person("\u{1B}]0;x\u{07}", in: Fixture.bundled.people)
      Issue.record("resolved")
    } catch {
      #expect(!error.description.unicodeScalars.contains { $0.value < 0x20 })
    }
  }
}
