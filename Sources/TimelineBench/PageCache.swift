#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How much of a file is in the page cache (`mincore` on a mapping of it that is never touched, so
/// that asking reads nothing in), for benchmarks whose figures are only fair when the file is.
enum PageCache {
  /// The fraction of the file's pages in the page cache, or nil when it cannot be told.
  static func residentFraction(_ path: String) -> Double? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0, st.st_size > 0 else { return nil }
    let size = Int(st.st_size)
    guard let map = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), map != MAP_FAILED else { return nil }
    defer { munmap(map, size) }
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let pages = (size + page - 1) / page
    var vec = [UInt8](repeating: 0, count: pages)
    #if canImport(Glibc)
      guard (vec.withUnsafeMutableBufferPointer { mincore(map, size, $0.baseAddress) }) == 0 else { return nil }
    #else
      guard (vec.withUnsafeMutableBufferPointer { v in v.withMemoryRebound(to: CChar.self) { mincore(map, size, $0.baseAddress) } }) == 0 else { return nil }
    #endif
    var resident = 0
    for v in vec where v & 1 != 0 { resident += 1 }
    return Double(resident) / Double(pages)
  }
}
