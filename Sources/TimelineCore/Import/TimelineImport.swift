#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Opens a timeline file of any format `--data` reads: recognises it (or takes the format it is told),
/// then reads this program's own JSON with `TimelineLoader` (streamed when large) and the other formats
/// with their importers, which build the timeline from values (`TimelineBuilder`).
public enum TimelineImport {
  /// Loads a file. Failures are the loader's: `cannotRead` (exit 66), `invalid` with every problem
  /// placed in the file's own terms (exit 65), `cancelled`.
  public static func load(
    path: String, options: ImportOptions = ImportOptions(), loader: TimelineLoader.Options = TimelineLoader.Options()
  ) throws(TimelineLoader.Failure) -> ImportResult {
    // A pipe or FIFO can be read only once: read it whole, then recognise it from memory.
    var st = stat()
    let isRegular = stat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFREG
    if !isRegular {
      let bytes: [UInt8]
      do { bytes = try TimelineFile.read(path: path) } catch { throw .cannotRead(error) }
      do { return try decode(bytes, fileName: path, options: options) } catch { throw .invalid(error) }
    }
    let format = options.format ?? sniff(path: path)
    if format == .timeline {
      return ImportResult(timeline: try TimelineLoader.load(path: path, options: loader), format: .timeline, skipped: [], skippedCount: 0)
    }
    let bytes: [UInt8]
    do { bytes = try TimelineFile.read(path: path) } catch { throw .cannotRead(error) }
    loader.progress?(0.5)
    if loader.isCancelled?() == true { throw .cancelled }
    do { return try decode(bytes, fileName: path, format: format, options: options) } catch { throw .invalid(error) }
  }

  /// Reads a whole file held in memory, in the format given or recognised.
  public static func decode(_ bytes: [UInt8], fileName: String, format: TimelineFormat? = nil, options: ImportOptions = ImportOptions()) throws(DecodeFailure)
    -> ImportResult
  {
    let format = format ?? options.format ?? bytes.withUnsafeBufferPointer {
      TimelineFormat.sniff(prefix: UnsafeBufferPointer(rebasing: $0.prefix(TimelineFormat.prefixLength)), path: fileName)
    }
    if format == .timeline {
      return ImportResult(timeline: try TimelineDecoder.decode(bytes, fileName: fileName), format: .timeline, skipped: [], skippedCount: 0)
    }
    let delimiter = bytes.withUnsafeBufferPointer { format == .tsv || (format == .timelinejsCSV && isTabSeparated($0)) ? UInt8(0x09) : UInt8(ascii: ",") }
    if format == .timelinejsCSV && options.allowFastPath && bytes.count >= options.fastPathThreshold {
      let session = ImportSession(fileName: fileName, format: format, options: options)
      if let result = bytes.withUnsafeBufferPointer({ SpreadsheetFastPath.run($0, session: session, delimiter: delimiter) }) { return result }
      // Not the common case: the reference importer reads the file and explains.
    }
    let session = ImportSession(fileName: fileName, format: format, options: options)
    let (title, description): (String?, String?) = bytes.withUnsafeBufferPointer { buffer in
      switch format {
      case .timeline: return (nil, nil)
      case .timelinejs, .timelinejs2:
        let lines = LineMap(buffer)
        let root: JSONNode
        do throws(SyntaxError) {
          root = try JSONNode.parse(buffer)
        } catch {
          let (line, column) = lines.location(of: error.offset)
          session.report(.text(line: line, column: column), error.message)
          return (nil, nil)
        }
        let importer = TimelineJSImporter(session: session)
        if format == .timelinejs2 || (root["timeline"]?.isObject == true && root["events"] == nil) {
          return importer.importV2(root, lines: lines)
        }
        importer.importV3(root, lines: lines)
        return TimelineJSImporter.titleV3(root)
      case .timelinejsCSV, .csv, .tsv:
        return SpreadsheetImporter(session: session).run(buffer, delimiter: delimiter, timelineJS: format == .timelinejsCSV)
      case .ics:
        return ICalendarImporter(session: session).run(buffer)
      }
    }
    return try session.finish(title: title, description: description)
  }

  /// The format of a file on disk, from its first bytes and its name.
  public static func sniff(path: String) -> TimelineFormat {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return .timeline }  // the loader then says why the file cannot be read
    defer { close(fd) }
    var prefix = [UInt8](repeating: 0, count: TimelineFormat.prefixLength)
    let n = prefix.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
    return prefix.withUnsafeBufferPointer { TimelineFormat.sniff(prefix: UnsafeBufferPointer(rebasing: $0.prefix(max(0, n))), path: path) }
  }

  /// Whether a spreadsheet's header line has more tabs than commas.
  private static func isTabSeparated(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
    var tabs = 0
    var commas = 0
    for b in s {
      if b == 0x0A || b == 0x0D { break }
      if b == 0x09 { tabs += 1 }
      if b == UInt8(ascii: ",") { commas += 1 }
    }
    return tabs > commas
  }
}
