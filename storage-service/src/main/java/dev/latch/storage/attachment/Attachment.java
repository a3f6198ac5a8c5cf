package dev.latch.storage.attachment;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An attachment record: the blob lives on {@code storageType} under {@code reference}, never a URL. */
@Entity
@Table(name = "attachments")
public class Attachment extends BlobRecord {

    @Id
    public String uid;
}
