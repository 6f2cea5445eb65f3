package io.portaudit.inventory;

import io.portaudit.model.Owner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Maps socket inodes to the processes holding them, from {@code /proc/<pid>/fd} links. */
public final class ProcessTable {
    private ProcessTable() {}

    public static Map<Long, List<Owner>> socketOwners(Path proc) {
        Map<Long, List<Owner>> map = new HashMap<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path pidDir : pids) {
                int pid = Integer.parseInt(pidDir.getFileName().toString());
                String comm = null;
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(pidDir.resolve("fd"))) {
                    for (Path fd : fds) {
                        String target;
                        try {
                            target = Files.readSymbolicLink(fd).toString();
                        } catch (IOException e) {
                            continue; // fd closed while we looked
                        }
                        if (!target.startsWith("socket:[")) continue;
                        long inode = Long.parseLong(target.substring(8, target.length() - 1));
                        if (comm == null) comm = readComm(pidDir);
                        List<Owner> owners = map.computeIfAbsent(inode, k -> new ArrayList<>());
                        final String c = comm;
                        if (owners.stream().noneMatch(o -> o.pid() == pid)) owners.add(Owner.named(pid, c));
                    }
                } catch (IOException e) {
                    // no permission, or the process exited: its sockets stay without an owner
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return map;
    }

    private static String readComm(Path pidDir) {
        try {
            return Files.readString(pidDir.resolve("comm"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        }
    }
}
