package org.m3sgg.kernel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

/**
 * {@code %maven}: resolves artifacts and their runtime dependencies with Maven's resolver (wired as Maven 3.9 wires
 * it) from Maven Central and any {@code %mavenRepo}, into the user's local repository ({@code ~/.m2/repository}, or
 * the folder in {@code M3SGG_KERNEL_M2}), so a jar Maven already fetched is not fetched again.
 */
final class MavenDependencies {

    static final String CENTRAL = "https://repo.maven.apache.org/maven2/";

    private final Path localRepository;
    private final Map<String, String> repositories = new LinkedHashMap<>();
    private RepositorySystem system;

    MavenDependencies(Path localRepository) {
        this.localRepository = localRepository;
        repositories.put("central", CENTRAL);
    }

    static Path defaultLocalRepository() {
        String env = System.getenv("M3SGG_KERNEL_M2");
        return env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    void addRepository(String id, String url) throws LineMagics.MagicError {
        if (!url.matches("(?i)(https?|file)://.+")) {
            throw new LineMagics.MagicError("%mavenRepo: " + url + " is not an http(s) or file URL");
        }
        repositories.put(id, url.endsWith("/") ? url : url + "/");
    }

    /** The files of {@code coordinates} and of their compile and runtime dependencies, in resolution order. */
    List<Path> resolve(List<String> coordinates) throws LineMagics.MagicError {
        CollectRequest collect = new CollectRequest();
        for (String c : coordinates) {
            Artifact a;
            try {
                a = new DefaultArtifact(c);
            } catch (IllegalArgumentException e) {
                throw new LineMagics.MagicError("%maven: bad coordinates '" + c
                        + "': expected groupId:artifactId[:extension[:classifier]]:version");
            }
            collect.addDependency(new Dependency(a, JavaScopes.RUNTIME));
        }
        for (Map.Entry<String, String> r : repositories.entrySet()) {
            collect.addRepository(new RemoteRepository.Builder(r.getKey(), "default", r.getValue()).build());
        }
        DependencyRequest request = new DependencyRequest(collect,
                DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
        RepositorySystem sys = system();
        try (RepositorySystemSession.CloseableSession session = new SessionBuilderSupplier(sys).get()
                .withLocalRepositoryBaseDirectories(localRepository)
                .build()) {
            List<Path> files = new ArrayList<>();
            for (ArtifactResult r : sys.resolveDependencies(session, request).getArtifactResults()) {
                if (r.getArtifact() != null && r.getArtifact().getPath() != null) {
                    files.add(r.getArtifact().getPath());
                }
            }
            return files;
        } catch (DependencyResolutionException e) {
            String m = e.getMessage();
            throw new LineMagics.MagicError("%maven: " + (m == null ? e.toString() : m.lines().findFirst().orElse(m)));
        }
    }

    private synchronized RepositorySystem system() {
        if (system == null) {
            system = new RepositorySystemSupplier().get();
        }
        return system;
    }
}
