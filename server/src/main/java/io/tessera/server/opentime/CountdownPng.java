package io.tessera.server.opentime;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import javax.imageio.ImageIO;

/** Draws "DD:HH:MM:SS" (time left) as a small PNG for countdown image slots. Stateless, thread-safe. */
final class CountdownPng {
    private CountdownPng() {}

    static byte[] render(Duration left) {
        System.setProperty("java.awt.headless", "true");
        long s = Math.max(0, left.getSeconds());
        String text = String.format("%02d:%02d:%02d:%02d", s / 86_400, s / 3_600 % 24, s / 60 % 60, s % 60);
        BufferedImage img = new BufferedImage(320, 80, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(new Color(0x22, 0x22, 0x22));
            g.fillRect(0, 0, 320, 80);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.MONOSPACED, Font.BOLD, 40));
            int width = g.getFontMetrics().stringWidth(text);
            g.drawString(text, (320 - width) / 2, 55);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
