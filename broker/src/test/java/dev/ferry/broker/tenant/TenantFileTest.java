package dev.ferry.broker.tenant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantFileTest {

    @TempDir
    Path dir;

    private final KeyIssuer issuer = new KeyIssuer(new SecureRandom());

    @Test
    void shouldReadBackEveryApplicationKeyAndSetting() throws IOException {
        Tenants tenants = sample();
        Path file = dir.resolve(TenantFile.FILE_NAME);

        TenantFile.write(file, tenants);
        Tenants read = TenantFile.read(file);

        assertEquals(tenants, read);
        assertEquals(7, read.generation());
        assertEquals(List.of("acme", "zeta"), read.applications().stream().map(Application::id).toList());
        Application acme = read.application("acme").orElseThrow();
        assertEquals(List.of("ci", "reader"), acme.keys().stream().map(ApiKey::name).toList());
        assertEquals(Map.of("quota.produce.bytes", "1048576"), acme.settings());
        assertArrayEquals(tenants.application("acme").orElseThrow().scramSalt(), acme.scramSalt());
        ApiKey reader = acme.key("reader").orElseThrow();
        assertEquals(Role.CONSUME, reader.role());
        assertEquals(tenants.application("acme").orElseThrow().key("reader").orElseThrow().scramKeys(),
                reader.scramKeys());
        assertEquals(List.of(), read.application("zeta").orElseThrow().keys());
        assertFalse(Files.exists(dir.resolve(TenantFile.FILE_NAME + ".tmp")), "the temporary file is renamed");
    }

    @Test
    void shouldKeepKeysUsableAcrossARoundTrip() throws IOException {
        Application acme = issuer.newApplication("acme", 0);
        IssuedKey issued = issuer.issue(acme, "ci", Role.ALL, 0, id -> false);
        Path file = dir.resolve(TenantFile.FILE_NAME);

        TenantFile.write(file, Tenants.empty().with(acme.withKey(issued.apiKey())));
        Tenants read = TenantFile.read(file);

        assertTrue(read.keyById(issued.apiKey().keyId()).key().matches(issued.key()));
    }

    @Test
    void shouldWriteEqualRegistriesAsEqualBytes() {
        Tenants tenants = sample();

        assertArrayEquals(TenantFile.encode(tenants), TenantFile.encode(TenantFile.decode(
                TenantFile.encode(tenants), "test")));
    }

    @Test
    void shouldReadAMissingFileAsAnEmptyRegistry() throws IOException {
        Tenants read = TenantFile.read(dir.resolve("absent"));

        assertEquals(0, read.generation());
        assertEquals(List.of(), read.applications());
    }

    @Test
    void shouldLayOutTheHeaderAsTheDescriptorSays() {
        byte[] bytes = TenantFile.encode(sample());
        ByteBuffer buffer = ByteBuffer.wrap(bytes);

        assertEquals(TenantFileDescriptor.MAGIC, buffer.getInt(TenantFileDescriptor.MAGIC_OFFSET));
        assertEquals("FTEN", new String(bytes, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(TenantFileDescriptor.VERSION, buffer.getInt(TenantFileDescriptor.VERSION_OFFSET));
        assertEquals(7, buffer.getLong(TenantFileDescriptor.GENERATION_OFFSET));
        assertEquals(2, buffer.getInt(TenantFileDescriptor.APPLICATION_COUNT_OFFSET));
        assertEquals(TenantFileDescriptor.MIN_LENGTH, TenantFile.encode(Tenants.empty()).length);
    }

    @Test
    void shouldRefuseAFileWhoseChecksumDoesNotMatch() {
        byte[] bytes = TenantFile.encode(sample());
        for (int offset : new int[] {0, TenantFileDescriptor.GENERATION_OFFSET, bytes.length / 2, bytes.length - 1}) {
            byte[] damaged = bytes.clone();
            damaged[offset] ^= 0x10;

            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> TenantFile.decode(damaged, "the file"));

            assertEquals("the file is corrupt: its checksum does not match", refused.getMessage());
        }
    }

    @Test
    void shouldRefuseATruncatedFile() {
        byte[] bytes = TenantFile.encode(sample());

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> TenantFile.decode(Arrays.copyOf(bytes, 10), "the file"));

        assertEquals("the file is corrupt: only 10 bytes long", refused.getMessage());
        assertThrows(IllegalStateException.class,
                () -> TenantFile.decode(Arrays.copyOf(bytes, bytes.length - 1), "the file"));
    }

    @Test
    void shouldRefuseAFileOfAnotherKindOrVersionEvenWithAValidChecksum() {
        RegistryFiles.Writer otherMagic = new RegistryFiles.Writer().writeInt(0x46504944).writeInt(1).writeLong(1)
                .writeInt(0);
        RegistryFiles.Writer otherVersion = new RegistryFiles.Writer().writeInt(TenantFileDescriptor.MAGIC)
                .writeInt(99).writeLong(1).writeInt(0);

        assertEquals("f is not a tenant registry file", assertThrows(IllegalStateException.class,
                () -> TenantFile.decode(otherMagic.toBytesWithChecksum(), "f")).getMessage());
        assertEquals("f has unknown format version 99", assertThrows(IllegalStateException.class,
                () -> TenantFile.decode(otherVersion.toBytesWithChecksum(), "f")).getMessage());
    }

    @Test
    void shouldRefuseCountsAndFieldsThatDoNotFitTheFile() {
        RegistryFiles.Writer tooMany = new RegistryFiles.Writer().writeInt(TenantFileDescriptor.MAGIC).writeInt(1)
                .writeLong(1).writeInt(3);
        RegistryFiles.Writer trailing = new RegistryFiles.Writer().writeInt(TenantFileDescriptor.MAGIC).writeInt(1)
                .writeLong(1).writeInt(0).writeInt(42);
        RegistryFiles.Writer badId = new RegistryFiles.Writer().writeInt(TenantFileDescriptor.MAGIC).writeInt(1)
                .writeLong(1).writeInt(1).writeString("not.valid").writeLong(0).writeInt(4096)
                .writeBytes(new byte[32]).writeInt(0).writeInt(0);

        assertEquals("f is corrupt: it ends in the middle of an entry", assertThrows(IllegalStateException.class,
                () -> TenantFile.decode(tooMany.toBytesWithChecksum(), "f")).getMessage());
        assertEquals("f is corrupt: 4 unexpected bytes after the last entry",
                assertThrows(IllegalStateException.class,
                        () -> TenantFile.decode(trailing.toBytesWithChecksum(), "f")).getMessage());
        assertTrue(assertThrows(IllegalStateException.class,
                () -> TenantFile.decode(badId.toBytesWithChecksum(), "f")).getMessage()
                .startsWith("f is corrupt: invalid application id 'not.valid'"));
    }

    private Tenants sample() {
        Application acme = issuer.newApplication("acme", 1_700_000_000_000L)
                .withSetting("quota.produce.bytes", "1048576");
        acme = acme.withKey(issuer.issue(acme, "ci", Role.PRODUCE, 1_700_000_001_000L, id -> false).apiKey());
        acme = acme.withKey(issuer.issue(acme, "reader", Role.CONSUME, 1_700_000_002_000L, id -> false).apiKey());
        Application zeta = issuer.newApplication("zeta", 1_700_000_003_000L);
        return Tenants.empty().with(zeta).with(acme).withGeneration(7);
    }
}
