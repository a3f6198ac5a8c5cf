package dev.latch.storage.backend;

import dev.latch.common.security.SecureTokens;
import dev.latch.storage.config.StorageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Files at {@code {data-dir}/attachments/{uid}/{filename}}, the filename already sanitised. A write goes
 * to a temporary file first and is moved into place only when complete, so a failed or refused upload
 * leaves nothing; every path is checked to stay inside the data directory.
 */
@ApplicationScoped
public class LocalBackend implements StorageBackend {

    private static final Pattern UID = Pattern.compile("[A-Za-z0-9]{1,32}");

    private final Path root;
    private final Path tmp;

    public LocalBackend(StorageConfig config) {
        this.root = config.dataDir().toAbsolutePath().normalize().resolve("attachments");
        this.tmp = root.resolve(".tmp");
    }

    @Override
    public StorageType type() {
        return StorageType.LOCAL;
    }

    /** The directory all LOCAL attachments live under. */
    public Path root() {
        return root;
    }

    @Override
    public String write(String uid, String filename, String contentType, InputStream content) {
        if (!UID.matcher(uid).matches()) {
            throw new IllegalArgumentException("bad uid");
        }
        String reference = uid + "/" + filename;
        Path target = resolve(reference);
        Path part = null;
        try {
            Files.createDirectories(tmp);
            part = tmp.resolve(uid + "-" + SecureTokens.randomBase62(8) + ".part");
            Files.copy(content, part);
            Files.createDirectories(target.getParent());
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return reference;
        } catch (IOException e) {
            throw new UncheckedIOException("LOCAL write failed", e);
        } finally {
            if (part != null) {
                deleteQuietly(part);
            }
            removeDirIfEmpty(target.getParent());
        }
    }

    @Override
    public InputStream open(String reference, long offset, long length) {
        Path file = resolve(reference);
        try {
            InputStream in = Files.newInputStream(file);
            try {
                in.skipNBytes(offset);
            } catch (IOException e) {
                in.close();
                throw e;
            }
            return StorageBackend.limit(in, length);
        } catch (NoSuchFileException e) {
            throw new BlobMissingException();
        } catch (IOException e) {
            throw new UncheckedIOException("LOCAL read failed", e);
        }
    }

    @Override
    public long size(String reference) {
        try {
            return Files.size(resolve(reference));
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void delete(String reference) {
        Path file = resolve(reference);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new StorageUnavailableException("LOCAL delete failed: " + e.getMessage());
        }
        removeDirIfEmpty(file.getParent());
    }

    @Override
    public void check() throws IOException {
        Files.createDirectories(tmp);
        if (!Files.isWritable(root) || !Files.isWritable(tmp)) {
            throw new IOException("data directory not writable");
        }
    }

    /**
     * Hands every stored file ({@code {uid}/{filename}}, the temporary directory left out) to {@code page}, at
     * most {@code pageSize} at a time, walking the tree without holding it in memory. Files removed while the
     * walk runs are skipped.
     *
     * @throws StorageUnavailableException when the data directory cannot be read
     */
    public void list(int pageSize, Consumer<List<StoredBlob>> page) {
        if (!Files.isDirectory(root)) {
            return;
        }
        List<StoredBlob> batch = new ArrayList<>(pageSize);
        try {
            Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), 2, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return dir.equals(tmp) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    Path dir = file.getParent();
                    if (attrs.isRegularFile() && !dir.equals(root) && !dir.equals(tmp)) {
                        batch.add(new StoredBlob(
                                dir.getFileName() + "/" + file.getFileName(),
                                attrs.lastModifiedTime().toInstant()));
                        if (batch.size() >= pageSize) {
                            page.accept(List.copyOf(batch));
                            batch.clear();
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        // deleted meanwhile
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new StorageUnavailableException("LOCAL listing failed: " + e.getMessage());
        }
        if (!batch.isEmpty()) {
            page.accept(List.copyOf(batch));
        }
    }

    /** The file of a reference, refusing anything that would leave {@code {data-dir}/attachments/{uid}/}. */
    public Path resolve(String reference) {
        int slash = reference.indexOf('/');
        if (slash < 1 || !UID.matcher(reference.substring(0, slash)).matches()) {
            throw new IllegalArgumentException("not a LOCAL reference");
        }
        Path dir = root.resolve(reference.substring(0, slash));
        Path file = dir.resolve(reference.substring(slash + 1)).normalize();
        if (!file.startsWith(root) || !dir.equals(file.getParent())) {
            throw new IllegalArgumentException("LOCAL reference escapes its directory");
        }
        return file;
    }

    private void removeDirIfEmpty(Path dir) {
        if (dir != null && !dir.equals(root) && dir.startsWith(root)) {
            try {
                Files.deleteIfExists(dir);
            } catch (DirectoryNotEmptyException e) {
                // still holds the file
            } catch (IOException e) {
                // harmless leftover
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort: only a temporary file
        }
    }
}
