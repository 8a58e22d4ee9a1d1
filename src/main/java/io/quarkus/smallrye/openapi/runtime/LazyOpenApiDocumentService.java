package io.quarkus.smallrye.openapi.runtime;

import io.quarkus.arc.Unremovable;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import io.quarkus.smallrye.openapi.runtime.filter.AutoSecurityFilter;
import io.smallrye.openapi.runtime.io.Format;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * quarkus-smallrye-openapi 3.37 builds the OpenAPI document at every start (a RUNTIME_INIT step parses
 * the build-time document, runs the filters, writes JSON and YAML): 70-160 ms of the boot that a
 * scale-to-zero request waits for, for a document few requests ask for. This defers that step, with
 * the extension's own code, to the first /q/openapi request; the extension still serves /q/openapi.
 *
 * <p>Upstream made the same change (quarkusio/quarkus#55538: lazy unless a RUNTIME_STARTUP OpenAPI
 * filter exists; this service has none) after 3.37.4, the newest release on Maven Central. Delete this
 * class once the extension has it. It lives in the extension's package because the step it defers is
 * a package-private method there. Production builds only: the packaged jar (and a native image) loads
 * it with the extension's classes, as overriding that method needs, while {@code @QuarkusTest} loads
 * the application's classes apart from the extensions'; OpenApiIT tests it on the packaged jar.
 */
@IfBuildProfile("prod")
@Alternative
@Priority(1)
@ApplicationScoped
@Unremovable
public class LazyOpenApiDocumentService extends OpenApiDocumentService {
    private final List<Runnable> pending = new ArrayList<>();

    @Override
    synchronized void prepareDocument(AutoSecurityFilter autoSecurityFilter,
            Map<OpenApiFilter.RunStage, List<String>> filtersByStage, String documentName) {
        // The extension finds the document through the context class loader of the boot.
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        pending.add(() -> {
            Thread t = Thread.currentThread();
            ClassLoader before = t.getContextClassLoader();
            t.setContextClassLoader(loader);
            try {
                super.prepareDocument(autoSecurityFilter, filtersByStage, documentName);
            } finally {
                t.setContextClassLoader(before);
            }
        });
    }

    @Override
    public synchronized byte[] getDocument(String documentName, Format format) {
        pending.forEach(Runnable::run);
        pending.clear();
        return super.getDocument(documentName, format);
    }
}
