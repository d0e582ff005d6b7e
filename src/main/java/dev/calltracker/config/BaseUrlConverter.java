package dev.calltracker.config;

import org.eclipse.microprofile.config.spi.Converter;

/** A base URL without its trailing slash, so that every URL built on it has exactly one between. */
public class BaseUrlConverter implements Converter<String> {

    @Override
    public String convert(String value) {
        String url = value.trim();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
