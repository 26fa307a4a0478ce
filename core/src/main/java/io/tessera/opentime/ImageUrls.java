package io.tessera.opentime;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether an image endpoint may redirect to a URL: absolute HTTPS, default port, no
 * user info, a host on the declaration's list, and nothing a browser or proxy would parse
 * differently from {@link URI} (backslashes, control characters, spaces). This is what keeps the
 * image endpoint from being an open redirect.
 */
public final class ImageUrls {
    private ImageUrls() {}

    public static boolean allowed(String url, Set<String> hosts) {
        if (url == null || url.length() > 2048) {
            return false;
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c <= 0x20 || c == 0x7f || c == '\\' || c > 0x7e) {
                return false;
            }
        }
        try {
            URI u = new URI(url);
            return "https".equals(u.getScheme())
                    && u.getRawUserInfo() == null
                    && u.getHost() != null
                    && (u.getPort() == -1 || u.getPort() == 443)
                    && hosts.contains(u.getHost().toLowerCase(Locale.ROOT));
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
