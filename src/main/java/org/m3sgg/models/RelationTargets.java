package org.m3sgg.models;

import org.m3sgg.api.KitException;

/**
 * Ground truth for the losses, in each group's local ids.
 *
 * @param attention    [P] attention class per pair
 * @param spatial      [P][*] spatial classes per pair
 * @param contacting   [P][*] contacting classes per pair
 * @param objectLabels [N] object labels (background 0 allowed) for the SGCLS classifier loss, or null
 */
public record RelationTargets(int[] attention, int[][] spatial, int[][] contacting, int[] objectLabels) {

    public RelationTargets {
        if (spatial.length != attention.length || contacting.length != attention.length) {
            throw new KitException("relation targets: attention/spatial/contacting have " + attention.length + "/"
                    + spatial.length + "/" + contacting.length + " rows, expected one per pair");
        }
    }
}
