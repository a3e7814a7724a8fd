package io.jenkins.plugins.releaseline.engine.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * Replaces a file so that a reader sees the old bytes or the new ones, never half of them: the bytes go to a
 * temporary file in the same folder, which is flushed to the disk and then moved over the target (atomically where
 * the file system can), and the folder is flushed so that the rename itself survives a power cut.
 *
 * <p>The replacement keeps what the target was to other readers: its permissions and, where this process may set
 * them, its owner and group (a flagd running as another user keeps reading the flag file). A new file gets the
 * permissions of any new file (the umask), not the private mode of {@link Files#createTempFile}.
 */
public final class AtomicFile {

    private AtomicFile() {}

    /** Writes {@code bytes} to {@code target}, creating its folder if needed. */
    public static void replace(Path target, byte[] bytes) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        // Not createTempFile: that makes the file 0600 whatever the umask; a plain create follows the umask.
        Path tmp = folder.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                copyAttributes(target, tmp);
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            syncFolder(folder);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Flushes a folder's entries (a rename or a new file in it) to the disk; a no-op where folders cannot be opened. */
    public static void syncFolder(Path folder) throws IOException {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows")) {
                throw e;
            }
        }
    }

    /** Gives {@code copy} the permissions, owner and group of {@code original}, if it exists and the file system has them. */
    private static void copyAttributes(Path original, Path copy) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(original, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null || !Files.exists(original)) {
            return;
        }
        PosixFileAttributes attributes = Files.readAttributes(original, PosixFileAttributes.class);
        PosixFileAttributeView target = Files.getFileAttributeView(copy, PosixFileAttributeView.class);
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        permissions.addAll(attributes.permissions());
        target.setPermissions(permissions);
        if (!attributes.owner().equals(Files.getOwner(copy))) {
            try {
                target.setOwner(attributes.owner());
            } catch (IOException e) {
                // Only root may give a file away: the file stays ours, as a plain rewrite by this user would leave it.
            }
        }
        if (!attributes.group().equals(target.readAttributes().group())) {
            try {
                target.setGroup(attributes.group());
            } catch (IOException e) {
                // Not a member of that group: as above.
            }
        }
    }
}
