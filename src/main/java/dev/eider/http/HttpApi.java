package dev.eider.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eider.config.EiderConfig;
import dev.eider.config.StoreConfig;
import dev.eider.files.FileService;
import dev.eider.health.Readiness;
import dev.eider.ingest.Writes;
import dev.eider.store.RecordStore;
import dev.eider.table.Catalog;
import dev.eider.table.RecordReader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Assembles every route of the HTTP API. */
public final class HttpApi {

    private HttpApi() {}

    public static Router router(
            EiderConfig config,
            Catalog catalog,
            RecordStore store,
            Writes queue,
            ObjectMapper mapper,
            Supplier<Readiness> readiness,
            FileService files,
            List<Route> more) {
        RecordReader reader = new RecordReader(
                mapper,
                (int) Math.min(Integer.MAX_VALUE, config.server().maxValue().bytes()),
                config.store() instanceof StoreConfig.DuckDb);
        BodyReader bodies = new BodyReader(
                mapper,
                reader,
                store,
                queue.memory(),
                new BodyReader.Limits(
                        config.ingest().stageThreshold(),
                        config.ingest().stageBytes(),
                        config.server().maxValue().bytes()));
        List<Route> routes = new ArrayList<>();
        routes.add(new OriginalRecordRoute(catalog, queue, mapper, reader, bodies).route());
        FileRoutes fileRoutes = new FileRoutes(catalog, files, reader, mapper, config.files());
        routes.addAll(new RecordRoutes(catalog, store, queue, bodies, mapper, fileRoutes::postMultipart).routes());
        routes.addAll(fileRoutes.routes());
        routes.addAll(new TableRoutes(catalog, store, queue, mapper).routes());
        routes.addAll(new HealthRoutes(readiness, queue::health, mapper).routes());
        routes.addAll(new DocsRoutes().routes());
        routes.addAll(more);
        return new Router(routes);
    }
}
